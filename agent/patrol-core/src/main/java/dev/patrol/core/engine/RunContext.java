package dev.patrol.core.engine;

import dev.patrol.api.HttpClientOptions;
import dev.patrol.api.SshSessions;
import dev.patrol.core.context.BaseContext;
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
import java.util.function.Function;

/** The context of one attempt. Thread-safe: cancellation is a future, the throttle an atomic, the rest final. */
final class RunContext extends BaseContext {
    private final HttpClientPool http;
    private final SshSessions ssh;
    private final Path stateDir;
    private final AtomicReference<Attempt.Throttle> throttle = new AtomicReference<>();
    private final AtomicReference<Attempt.Remaining> remaining = new AtomicReference<>();
    private final Function<Duration, CompletableFuture<Boolean>> permits;
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
            Path stateDir,
            Function<Duration, CompletableFuture<Boolean>> permits) {
        super(check, deadline, clock, log, blocking);
        this.stateDir = stateDir;
        this.permits = permits;
        this.http = http;
        this.ssh = ssh;
    }

    @Override
    public HttpClient http(HttpClientOptions options) {
        return http.get(options);
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
    public void rateLimitRemaining(long left, Duration untilReset) {
        Duration reset = untilReset == null || untilReset.isNegative() ? null : untilReset;
        remaining.set(new Attempt.Remaining(Math.max(0, left), reset));
    }

    @Override
    public CompletionStage<Boolean> nextRequest() {
        return permits.apply(remaining().dividedBy(2)).minimalCompletionStage();
    }

    /** What the plugin reported last through {@link #rateLimitRemaining}, or null. */
    Attempt.Remaining reportedRemaining() {
        return remaining.get();
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
}
