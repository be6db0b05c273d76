package dev.patrol.plugin.http;

import dev.patrol.api.CheckContext;
import dev.patrol.api.HttpClientOptions;
import dev.patrol.core.http.HttpClientPool;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * A run's context for plugin-level tests: the core's real client pool, and a cancellation signal that fires at the
 * deadline, which is what the engine does in the agent.
 */
final class TestCheckContext implements CheckContext {
    private final HttpClientPool pool;
    private final Instant deadline;
    private final CompletableFuture<Void> cancelled;

    TestCheckContext(HttpClientPool pool, Duration timeout) {
        this.pool = pool;
        this.deadline = Instant.now().plus(timeout);
        this.cancelled =
                new CompletableFuture<Void>().completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public String check() {
        return "test";
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public CompletionStage<Void> cancelled() {
        return cancelled;
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public System.Logger log() {
        return System.getLogger("patrol.check.test");
    }

    @Override
    public HttpClient http(HttpClientOptions options) {
        return pool.get(options);
    }

    @Override
    public Executor blockingExecutor() {
        return ForkJoinPool.commonPool();
    }
}
