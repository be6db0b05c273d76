package dev.patrol.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import dev.patrol.api.CommandResult;
import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import dev.patrol.api.Target;
import dev.patrol.testing.BlackHoleServer;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import dev.patrol.testing.TestPorts;
import dev.patrol.testing.UnansweredPort;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults from real peers: a server killed mid-command, a black hole, a closed port, a bastion in between. */
class SshFaultIT {
    @TempDir
    Path dir;

    SshSessionPool pool(OpenSshServer sshd, Path knownHosts, Map<String, ?> more) {
        Map<String, Object> settings =
                SshTesting.client(sshd, knownHosts, Map.of("connect-timeout", "2s", "auth-timeout", "2s"));
        settings.putAll(more);
        return SshTesting.pool(SshTesting.ssh(settings), new SshMetrics());
    }

    static CompletableFuture<CommandResult> exec(SshSessionPool pool, Target target, String command, Duration timeout) {
        return pool.exec(target, command, 1024, SshTesting.run(timeout)).toCompletableFuture();
    }

    @Test
    void serverKilledMidCommandFailsTheRunsThenReconnectsWithoutLeaks() {
        List<String> threadsBefore = poolThreads();
        try (OpenSshServer sshd = OpenSshServer.create(dir.resolve("sshd")).start()) {
            Path knownHosts = SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of(sshd.knownHostsLine(false)));
            Target target = SshTesting.target("sshd", sshd.host(), sshd.port());
            try (SshSessionPool pool = pool(sshd, knownHosts, Map.of())) {
                List<CompletableFuture<CommandResult>> runs = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    runs.add(exec(pool, target, "sleep 30", Duration.ofSeconds(60)));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> pool.channelsInUse() == 5);
                assertThat(poolThreads()).isNotEmpty();

                sshd.kill();

                for (CompletableFuture<CommandResult> run : runs) {
                    SshFailure failure = SshSessionPoolIT.failure(run);
                    assertThat(failure.reason()).isEqualTo(Reason.CONNECTION_FAILED);
                }
                assertThat(pool.channelsInUse()).isZero();
                SshFailure down = SshSessionPoolIT.failure(exec(pool, target, "true", Duration.ofSeconds(10)));
                assertThat(down.reason()).isIn(Reason.CONNECTION_REFUSED, Reason.CONNECTION_FAILED);

                sshd.start();

                // The backoff after the refused connect lets a retry through within seconds.
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> assertThat(exec(pool, target, "echo back", Duration.ofSeconds(10))
                                        .orTimeout(15, TimeUnit.SECONDS)
                                        .handle((result, error) -> result == null ? "" : result.stdout())
                                        .join())
                                .isEqualTo("back\n"));
                assertThat(pool.channelsInUse()).isZero();
            }
        }
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(poolThreads()).isEqualTo(threadsBefore));
    }

    /** Threads of the pool and of MINA (whose names start with "sshd-"), by name. */
    static List<String> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("patrol-ssh") || name.startsWith("sshd-"))
                .sorted()
                .toList();
    }

    @Test
    void blackHoleTimesOutWithinTheDeadline() throws Exception {
        try (OpenSshServer sshd = OpenSshServer.create(dir.resolve("sshd"));
                BlackHoleServer hole = BlackHoleServer.start()) {
            Path knownHosts = SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of());
            try (SshSessionPool pool = pool(sshd, knownHosts, Map.of("auth-timeout", "30s"))) {
                Target target = SshTesting.target("hole", "127.0.0.1", hole.port());

                SshFailure failure = SshSessionPoolIT.failure(exec(pool, target, "true", Duration.ofSeconds(2)));

                assertThat(failure.reason()).isEqualTo(Reason.TIMEOUT);
                assertThat(hole.acceptedCount()).isEqualTo(1);
            }
            // Its own auth-timeout ends the attempt too, when no run is waiting for it.
            try (SshSessionPool pool = pool(sshd, knownHosts, Map.of("auth-timeout", "1s"))) {
                Target target = SshTesting.target("hole", "127.0.0.1", hole.port());

                SshFailure failure = SshSessionPoolIT.failure(exec(pool, target, "true", Duration.ofSeconds(30)));

                assertThat(failure.reason()).isEqualTo(Reason.TIMEOUT);
                assertThat(failure.getMessage()).contains("no SSH handshake and login within 1s");
                await().atMost(Duration.ofSeconds(10)).until(() -> hole.openConnections() == 0);
            }
        }
    }

    @Test
    void aTargetsOwnLongerConnectTimeoutIsNotCutByTheGlobalOne() throws Exception {
        try (OpenSshServer sshd = OpenSshServer.create(dir.resolve("sshd"));
                UnansweredPort silent = UnansweredPort.start()) {
            Path knownHosts = SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of());
            Config global = SshTesting.ssh(SshTesting.client(sshd, knownHosts, Map.of("connect-timeout", "1s")));
            try (SshSessionPool pool = SshTesting.pool(global, new SshMetrics())) {
                Target slow = SshTesting.target("slow-link", "127.0.0.1", silent.port());
                SshTesting.ownSettings(pool, global, slow, Map.of("connect-timeout", "4s"));

                SshFailure failure = SshSessionPoolIT.failure(exec(pool, slow, "true", Duration.ofSeconds(60)));

                // MINA's connector has one timeout for the whole client; before it took the longest target's, this
                // target's connect was cut after the global 1 s, and reported as CONNECTION_REFUSED.
                assertThat(failure.reason()).isEqualTo(Reason.TIMEOUT);
                assertThat(failure.getMessage()).contains("no TCP connection within 4s");

                // A target on the global timeout is cut by its own deadline too, as a timeout (MINA's connector, which
                // reports a cut connect as refused, is only a backstop after the longest).
                Target other = SshTesting.target("other-link", "127.0.0.1", silent.port());
                SshFailure otherFailure = SshSessionPoolIT.failure(exec(pool, other, "true", Duration.ofSeconds(60)));
                assertThat(otherFailure.reason()).isEqualTo(Reason.TIMEOUT);
                assertThat(otherFailure.getMessage()).contains("no TCP connection within 1s");
            }
        }
    }

    @Test
    void closedPortIsRefused() throws IOException {
        int port = TestPorts.free(); // nothing listens there: a closed port
        try (OpenSshServer sshd = OpenSshServer.create(dir.resolve("sshd"));
                SshSessionPool pool = pool(sshd, dir.resolve("known_hosts"), Map.of())) {
            Target target = SshTesting.target("closed", "127.0.0.1", port);

            SshFailure failure = SshSessionPoolIT.failure(exec(pool, target, "true", Duration.ofSeconds(10)));
            SshFailure again = SshSessionPoolIT.failure(exec(pool, target, "true", Duration.ofSeconds(10)));

            assertThat(failure.reason()).isEqualTo(Reason.CONNECTION_REFUSED);
            assertThat(again.reason()).isEqualTo(Reason.CONNECTION_REFUSED);
            assertThat(again.getMessage()).contains("next attempt in");
        }
    }

    @Test
    void reachesTheTargetThroughAProxyJump() {
        try (OpenSshServer bastion =
                        OpenSshServer.create(dir.resolve("bastion")).start();
                OpenSshServer sshd = OpenSshServer.create(dir.resolve("sshd")).start()) {
            sshd.authorize(bastion.clientKey());
            Path knownHosts = SshKeys.writeKnownHosts(
                    dir.resolve("known_hosts"), List.of(bastion.knownHostsLine(false), sshd.knownHostsLine(true)));
            try (SshSessionPool pool = pool(bastion, knownHosts, Map.of("proxy-jump", "127.0.0.1:" + bastion.port()))) {
                Target target = SshTesting.target("behind", sshd.host(), sshd.port());

                assertThat(exec(pool, target, "echo via", Duration.ofSeconds(20))
                                .join()
                                .stdout())
                        .isEqualTo("via\n");
                assertThat(bastion.acceptedLogins()).isEqualTo(1);
                assertThat(sshd.acceptedLogins()).isEqualTo(1);
            }
        }
    }
}
