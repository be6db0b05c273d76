package dev.patrol.core.job;

import dev.patrol.api.CheckContext;
import dev.patrol.api.HttpClientOptions;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * What the SSH pool needs to run one command of a job: a deadline, and a cancel signal completed when the target's
 * run times out. Thread-safe.
 */
final class JobContext implements CheckContext {
    private final String job;
    private final Instant deadline;
    private final CompletableFuture<Void> cancelled = new CompletableFuture<>();
    private final Executor executor;

    JobContext(String job, Instant deadline, Executor executor) {
        this.job = job;
        this.deadline = deadline;
        this.executor = executor;
    }

    void cancel() {
        cancelled.complete(null);
    }

    @Override
    public String check() {
        return job;
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
        return System.getLogger("patrol.job." + job);
    }

    @Override
    public HttpClient http(HttpClientOptions options) {
        throw new UnsupportedOperationException("jobs use no HTTP client");
    }

    @Override
    public Executor blockingExecutor() {
        return executor;
    }
}
