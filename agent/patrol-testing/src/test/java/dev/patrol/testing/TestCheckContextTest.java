package dev.patrol.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.HttpClientOptions;
import dev.patrol.api.SshSessions;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TestCheckContextTest {

    @Test
    void cancelledCompletesAtTheDeadline() {
        TestCheckContext context = TestCheckContext.withTimeout(Duration.ofMillis(50));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> context.cancelled().toCompletableFuture().isDone());
        assertThat(context.remaining()).isZero();
    }

    @Test
    void withoutCancelAtDeadlineOnlyCancelCompletesIt() {
        TestCheckContext context = TestCheckContext.builder()
                .timeout(Duration.ZERO)
                .cancelAtDeadline(false)
                .build();
        CompletableFuture<Void> cancelled = context.cancelled().toCompletableFuture();

        assertThat(cancelled).isNotDone();
        context.cancel();
        assertThat(context.cancelled().toCompletableFuture()).isCompleted();
    }

    @Test
    void thePluginCannotCompleteTheSignalItself() {
        TestCheckContext context =
                TestCheckContext.builder().cancelAtDeadline(false).build();

        context.cancelled().toCompletableFuture().complete(null);

        assertThat(context.cancelled().toCompletableFuture()).isNotDone();
    }

    @Test
    void namesTheCheckAndItsLogger() {
        TestCheckContext context = TestCheckContext.builder().check("demo").build();

        assertThat(context.check()).isEqualTo("demo");
        assertThat(context.log().getName()).isEqualTo("patrol.check.demo");
        assertThat(TestCheckContext.builder().build().check()).isEqualTo("test");
    }

    @Test
    void httpAndSshComeFromWhatTheTestHandsIn() {
        HttpClient client = HttpClient.newBuilder().build();
        SshSessions sessions = (target, command, max, run) -> CompletableFuture.failedFuture(new AssertionError());
        TestCheckContext context =
                TestCheckContext.builder().http(options -> client).ssh(sessions).build();

        assertThat(context.http(HttpClientOptions.defaults())).isSameAs(client);
        assertThat(context.ssh()).isSameAs(sessions);
    }

    @Test
    void withoutThemHttpAndSshThrowAsAnAgentWithoutThemDoes() {
        TestCheckContext context = TestCheckContext.withTimeout(Duration.ofSeconds(10));

        assertThatThrownBy(() -> context.http(HttpClientOptions.defaults()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(context::ssh).isInstanceOf(UnsupportedOperationException.class);
        assertThat(context.blockingExecutor()).isSameAs(ForkJoinPool.commonPool());
    }

    @Test
    void closeInterruptsWorkOnTheContextsOwnThreads() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        try (TestCheckContext context =
                TestCheckContext.builder().check("own").blockingThreads(2).build()) {
            context.blockingExecutor().execute(() -> {
                assertThat(Thread.currentThread().isDaemon()).isTrue();
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            });
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(interrupted.await(30, TimeUnit.SECONDS)).isTrue();
    }
}
