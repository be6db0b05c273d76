package dev.patrol.core.context;

import dev.patrol.api.CheckContext;
import dev.patrol.api.HttpClientOptions;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * What every context the agent hands out shares, for a check's attempt, an action's command or a job's transfer: a
 * name, a deadline, a cancel signal, a clock, a logger and an executor for blocking work. What a context offers beyond
 * that (HTTP clients, SSH sessions, a state directory) its subclass adds.
 *
 * <pre>{@code
 * final class JobContext extends BaseContext {
 *     JobContext(String job, Instant deadline, Executor executor) {
 *         super(job, deadline, Clock.systemUTC(), System.getLogger("patrol.job." + job), executor);
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safe: cancellation is a future, everything else is final.
 */
public abstract class BaseContext implements CheckContext {
    private final String name;
    private final Instant deadline;
    private final Clock clock;
    private final System.Logger log;
    private final Executor blocking;
    private final CompletableFuture<Void> cancelled = new CompletableFuture<>();

    protected BaseContext(String name, Instant deadline, Clock clock, System.Logger log, Executor blocking) {
        this.name = name;
        this.deadline = deadline;
        this.clock = clock;
        this.log = log;
        this.blocking = blocking;
    }

    @Override
    public String check() {
        return name;
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public CompletionStage<Void> cancelled() {
        // A minimal stage, so that the code handed it cannot complete or obtrude the agent's own signal.
        return cancelled.minimalCompletionStage();
    }

    /** Whether {@link #cancelled()} has completed, for a blocking loop that polls between attempts. */
    public boolean isCancelled() {
        return cancelled.isDone();
    }

    /** Completes {@link #cancelled()}: the deadline passed, or the agent is shutting down. */
    public void cancel() {
        cancelled.complete(null);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public System.Logger log() {
        return log;
    }

    @Override
    public Executor blockingExecutor() {
        return blocking;
    }

    @Override
    public HttpClient http(HttpClientOptions options) {
        throw new UnsupportedOperationException("this context offers no HTTP clients");
    }
}
