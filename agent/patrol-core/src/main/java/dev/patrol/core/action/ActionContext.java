package dev.patrol.core.action;

import dev.patrol.api.CheckContext;
import dev.patrol.api.HttpClientOptions;
import dev.patrol.api.SshSessions;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The context an SSH action command runs in: the action's {@code timeout} as deadline, after which the pool closes
 * the channel. Thread-safe.
 */
final class ActionContext implements CheckContext {
    private final String action;
    private final Clock clock;
    private final Instant deadline;
    private final SshSessions ssh;
    private final Executor blocking;
    private final CompletableFuture<Void> cancelled = new CompletableFuture<>();

    ActionContext(String action, Duration timeout, Clock clock, SshSessions ssh, ScheduledExecutorService timer) {
        this.action = action;
        this.clock = clock;
        this.deadline = clock.instant().plus(timeout);
        this.ssh = ssh;
        this.blocking = timer;
        timer.schedule(() -> cancelled.complete(null), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public String check() {
        return "action:" + action;
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
        return System.getLogger("patrol.action." + action);
    }

    @Override
    public HttpClient http(HttpClientOptions options) {
        throw new UnsupportedOperationException("actions make their own HTTP requests");
    }

    @Override
    public Executor blockingExecutor() {
        return blocking;
    }

    @Override
    public SshSessions ssh() {
        return ssh;
    }
}
