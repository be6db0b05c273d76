package dev.patrol.core.engine;

import dev.patrol.api.CheckContext;
import dev.patrol.api.HttpClientOptions;
import dev.patrol.api.SshSessions;
import dev.patrol.transport.http.HttpClientPool;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The context of one attempt. Thread-safe: cancellation is a future, the throttle and the agent waits are atomics. */
final class RunContext implements CheckContext {
    private final String check;
    private final Instant deadline;
    private final Clock clock;
    private final System.Logger log;
    private final HttpClientPool http;
    private final Executor blocking;
    private final SshSessions ssh;
    private final Path stateDir;
    private final CompletableFuture<Void> cancelled = new CompletableFuture<>();
    private final AtomicReference<Attempt.Throttle> throttle = new AtomicReference<>();
    private final AtomicInteger agentWaits = new AtomicInteger();
    private final AtomicLong waitedNanos = new AtomicLong();
    private volatile String waitingFor;

    RunContext(
            String check,
            Instant deadline,
            Clock clock,
            System.Logger log,
            HttpClientPool http,
            SshSessions ssh,
            Executor blocking,
            Path stateDir) {
        this.stateDir = stateDir;
        this.ssh = ssh;
        this.check = check;
        this.deadline = deadline;
        this.clock = clock;
        this.log = log;
        this.http = http;
        this.blocking = blocking;
    }

    @Override
    public String check() {
        return check;
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public CompletionStage<Void> cancelled() {
        // A minimal stage, so a plugin cannot complete or obtrude the engine's own signal.
        return cancelled.minimalCompletionStage();
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
    public HttpClient http(HttpClientOptions options) {
        return http.get(options);
    }

    @Override
    public Executor blockingExecutor() {
        return blocking;
    }

    @Override
    public SshSessions ssh() {
        if (ssh == null) {
            throw new UnsupportedOperationException("this agent has no SSH pool");
        }
        return ssh;
    }

    @Override
    public void throttled(Duration pause, boolean skipRun) {
        Duration bounded = pause == null || pause.isNegative() ? Duration.ZERO : pause;
        throttle.compareAndSet(null, new Attempt.Throttle(bounded, skipRun));
    }

    /** What the plugin reported through {@link #throttled}, or null. */
    Attempt.Throttle throttle() {
        return throttle.get();
    }

    @Override
    public Runnable waitingForAgent(String what) {
        waitingFor = what;
        agentWaits.incrementAndGet();
        long since = System.nanoTime();
        AtomicBoolean ended = new AtomicBoolean();
        return () -> {
            if (ended.compareAndSet(false, true)) {
                waitedNanos.addAndGet(System.nanoTime() - since);
                agentWaits.decrementAndGet();
            }
        };
    }

    /** What the run waits for on the agent's side right now (the latest of its open waits), or null. */
    String agentWait() {
        return agentWaits.get() > 0 ? waitingFor : null;
    }

    /** What the run waited for on the agent's side last, or null if it never did. */
    String lastAgentWait() {
        return waitingFor;
    }

    /** How long the run's finished waits for the agent's own resources took, together. */
    Duration waitedForAgent() {
        return Duration.ofNanos(waitedNanos.get());
    }

    @Override
    public Path stateDir() {
        if (stateDir == null) {
            throw new UnsupportedOperationException("this agent has no state directory");
        }
        return stateDir;
    }

    void cancel() {
        cancelled.complete(null);
    }
}
