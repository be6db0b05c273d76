package dev.patrol.core.action;

import dev.patrol.api.SshSessions;
import dev.patrol.core.context.BaseContext;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The context an SSH action command runs in: the action's {@code timeout} as deadline, after which the pool closes
 * the channel. Actions make their own HTTP requests, so it offers no HTTP clients. Thread-safe.
 */
final class ActionContext extends BaseContext {
    private final SshSessions ssh;

    ActionContext(String action, Duration timeout, Clock clock, SshSessions ssh, ScheduledExecutorService timer) {
        super(
                "action:" + action,
                clock.instant().plus(timeout),
                clock,
                System.getLogger("patrol.action." + action),
                timer);
        this.ssh = ssh;
        timer.schedule(this::cancel, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public SshSessions ssh() {
        return ssh;
    }
}
