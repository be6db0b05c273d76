package dev.patrol.plugin.example;

import dev.patrol.api.CheckContext;
import dev.patrol.api.HttpClientOptions;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A {@link CheckContext} for unit tests: a real deadline and cancellation signal, a small blocking executor that
 * {@link #close()} shuts down, and no HTTP client. Copy it with the plugin. Thread-safe.
 */
final class TestContext implements CheckContext, AutoCloseable {
    private final Clock clock = Clock.systemUTC();
    private final Instant deadline;
    private final ExecutorService blocking;
    private final CompletableFuture<Void> cancelled = new CompletableFuture<>();

    /** A context with a 10 s deadline and two blocking threads. */
    TestContext() {
        this(Executors.newFixedThreadPool(2, TestContext::daemon));
    }

    /** A context whose blocking work goes to {@code blocking}, which {@link #close()} shuts down. */
    TestContext(ExecutorService blocking) {
        this.deadline = clock.instant().plus(Duration.ofSeconds(10));
        this.blocking = blocking;
    }

    /** Does what the engine does at the deadline or on shutdown. */
    void cancel() {
        cancelled.complete(null);
    }

    @Override
    public String check() {
        return "example-test";
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public CompletionStage<Void> cancelled() {
        return cancelled.minimalCompletionStage();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public System.Logger log() {
        return System.getLogger("patrol.check." + check());
    }

    @Override
    public HttpClient http(HttpClientOptions options) {
        throw new UnsupportedOperationException("the example plugin makes no HTTP requests");
    }

    @Override
    public Executor blockingExecutor() {
        return blocking;
    }

    /** Interrupts a lookup still running; a test that blocks one must release it too, or the thread lingers. */
    @Override
    public void close() {
        blocking.shutdownNow();
    }

    private static Thread daemon(Runnable task) {
        Thread thread = new Thread(task, "example-test-blocking");
        thread.setDaemon(true);
        return thread;
    }
}
