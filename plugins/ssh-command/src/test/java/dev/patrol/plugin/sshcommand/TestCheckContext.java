package dev.patrol.plugin.sshcommand;

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
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * A run's context for plugin-level tests: the given SSH sessions (or none, for {@code null}), and a cancellation signal that fires at the
 * deadline, which is what the engine does in the agent.
 */
final class TestCheckContext implements CheckContext {
    private final SshSessions ssh;
    private final Instant deadline;
    private final CompletableFuture<Void> cancelled;

    TestCheckContext(SshSessions ssh, Duration timeout) {
        this.ssh = ssh;
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
        throw new UnsupportedOperationException("ssh-command checks use no HTTP");
    }

    @Override
    public Executor blockingExecutor() {
        return ForkJoinPool.commonPool();
    }

    /** The sessions given, or, as an agent without SSH does, an exception when none were. */
    @Override
    public SshSessions ssh() {
        if (ssh == null) {
            throw new UnsupportedOperationException("this context offers no SSH sessions");
        }
        return ssh;
    }
}
