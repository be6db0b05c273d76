package dev.patrol.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.Reason;
import io.prometheus.client.CollectorRegistry;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The pool's pure parts: permit queue (channels, handshakes), output cap, backoff, failure mapping, metrics. */
class PoolPartsTest {

    @Nested
    class Limiter {
        @Test
        void grantsUpToMaxThenQueuesInOrder() {
            PermitQueue limiter = new PermitQueue(2);
            List<CompletableFuture<Void>> permits = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                permits.add(limiter.acquire());
            }

            assertThat(permits).extracting(CompletableFuture::isDone).containsExactly(true, true, false, false);
            limiter.release();
            assertThat(permits.get(2)).isDone();
            assertThat(permits.get(3)).isNotDone();
            assertThat(limiter.inUse()).isEqualTo(2);
        }

        @Test
        void skipsWaitersThatGaveUp() {
            PermitQueue limiter = new PermitQueue(1);
            limiter.acquire();
            CompletableFuture<Void> gaveUp = limiter.acquire();
            CompletableFuture<Void> waiting = limiter.acquire();
            gaveUp.cancel(false);

            limiter.release();

            assertThat(waiting).isCompleted();
            limiter.release();
            assertThat(limiter.inUse()).isZero();
            assertThat(limiter.waiting()).isZero();
        }

        @Test
        void raisingTheMaximumServesWaitersAtOnce() {
            PermitQueue permits = new PermitQueue(1);
            permits.acquire();
            CompletableFuture<Void> second = permits.acquire();
            CompletableFuture<Void> third = permits.acquire();

            permits.resize(3);

            assertThat(second).isCompleted();
            assertThat(third).isCompleted();
            assertThat(permits.inUse()).isEqualTo(3);
        }

        @Test
        void loweringTheMaximumHoldsBackReturnedPermits() {
            PermitQueue permits = new PermitQueue(2);
            permits.acquire();
            permits.acquire();
            CompletableFuture<Void> waiting = permits.acquire();

            permits.resize(1);
            permits.release();

            assertThat(waiting).isNotDone();
            assertThat(permits.inUse()).isEqualTo(1);
            permits.release();
            assertThat(waiting).isCompleted();
            assertThat(permits.inUse()).isEqualTo(1);
        }

        @Test
        void takesASparePermitOnlyWhileEnoughStayFree() {
            PermitQueue permits = new PermitQueue(3);
            permits.acquire();

            assertThat(permits.tryAcquire(1)).isTrue();
            assertThat(permits.tryAcquire(1)).as("the last free permit").isFalse();
            assertThat(permits.tryAcquire(0)).isTrue();
            CompletableFuture<Void> waiting = permits.acquire();
            permits.release();
            assertThat(waiting).isCompleted(); // a returned permit goes to the queue, never to a spare taker
            assertThat(permits.tryAcquire(0)).isFalse();
            permits.release();
            assertThat(permits.inUse()).isEqualTo(2);
            assertThat(permits.tryAcquire(0)).isTrue();
            assertThat(permits.inUse()).isEqualTo(3);
        }

        @Test
        void failsWaitersWhenTheConnectionGoes() {
            PermitQueue limiter = new PermitQueue(1);
            limiter.acquire();
            CompletableFuture<Void> waiting = limiter.acquire();

            limiter.failWaiters(new IllegalStateException("gone"));

            assertThat(waiting).isCompletedExceptionally();
        }
    }

    @Test
    void outputKeepsTheCapAndCountsTheRest() {
        CappedOutput output = new CappedOutput(5);
        output.write("héllo world".getBytes(StandardCharsets.UTF_8), 0, 12);

        assertThat(output.text()).isEqualTo("héllo".substring(0, 4));
        assertThat(output.truncated()).isTrue();
        assertThat(output.total()).isEqualTo(12);
        assertThat(new CappedOutput(5).truncated()).isFalse();
    }

    @Test
    void backoffDoublesToTheCapAndResets() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
        List<Long> pauses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            pauses.add(backoff.failed().toSeconds());
        }
        backoff.succeeded();

        assertThat(pauses).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L);
        assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void failuresMapToReasons() {
        Map<Throwable, Reason> cases = Map.of(
                new ConnectException("Connection refused"), Reason.CONNECTION_REFUSED,
                new UnresolvedAddressException(), Reason.DNS_FAILED,
                new UnknownHostException("nowhere"), Reason.DNS_FAILED,
                new SocketTimeoutException(), Reason.TIMEOUT,
                new RuntimeException("wrapped", new ConnectException()), Reason.CONNECTION_REFUSED,
                new IllegalStateException("odd"), Reason.CONNECTION_FAILED);

        cases.forEach((error, reason) -> assertThat(
                        SshFailures.classify(error, "connect to x").reason())
                .as(error.toString())
                .isEqualTo(reason));
        assertThat(SshFailures.classify(new UnknownHostException("nowhere"), "connect to x")
                        .getMessage())
                .isEqualTo("cannot connect to x: host name not found (nowhere)");
    }

    @Test
    void metricsPreInitialiseEveryResult() {
        SshMetrics metrics = new SshMetrics();
        CollectorRegistry registry = new CollectorRegistry();
        metrics.register(registry);
        metrics.initTarget("web-1");
        metrics.connected("web-1", Reason.HOST_KEY_MISMATCH);
        metrics.sessionStates(() -> Map.of(ConnectionState.IDLE, 2));

        for (String result : SshMetrics.RESULTS) {
            assertThat(registry.getSampleValue(
                            "patrol_ssh_connects_total",
                            new String[] {"target", "result"},
                            new String[] {"web-1", result}))
                    .isEqualTo(result.equals("host_key") ? 1.0 : 0.0);
        }
        assertThat(registry.getSampleValue("patrol_ssh_sessions", new String[] {"state"}, new String[] {"idle"}))
                .isEqualTo(2.0);
        assertThat(registry.getSampleValue("patrol_ssh_sessions", new String[] {"state"}, new String[] {"failed"}))
                .isZero();
    }
}
