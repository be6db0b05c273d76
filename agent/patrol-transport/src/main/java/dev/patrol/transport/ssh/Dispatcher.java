package dev.patrol.transport.ssh;

import dev.patrol.api.CommandResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.sshd.client.session.ClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command dispatcher of one connection when {@code patrol.ssh.command-channel = dispatcher}, else a pass-through
 * to exec channels. A dispatcher is started on the first command, replaced by a new one on the next command after it
 * died, and given up for the connection's life, in favour of an exec channel per command, when one cannot start (no {@code /bin/sh}, {@code mkfifo} or {@code mktemp}, a
 * forced command, a server that refuses the channel, no banner within the start timeout).
 *
 * <p>Thread-safe: the current dispatcher is guarded by the object's lock.
 */
final class Dispatcher {
    private static final Logger logger = LoggerFactory.getLogger(Dispatcher.class);

    private final ClientSession session;
    private final String where;
    private final Duration startTimeout;
    private final ScheduledExecutorService timer;
    private final SshMetrics metrics;
    private DispatcherChannel current;
    private boolean unavailable;

    /** Starts nothing yet; {@code settings} say whether to use a dispatcher and how long it may take to start. */
    Dispatcher(
            ClientSession session,
            String where,
            SshSettings settings,
            ScheduledExecutorService timer,
            SshMetrics metrics) {
        this.session = session;
        this.where = where;
        this.startTimeout = settings.authTimeout();
        this.timer = timer;
        this.metrics = metrics;
        this.unavailable = settings.commandChannel() != SshSettings.CommandChannel.DISPATCHER;
    }

    /**
     * Runs {@code command} through the dispatcher, holding one of {@code channels}' permits as an exec channel would,
     * or on an exec channel of its own ({@link ConnectionRun#exec}) when the dispatcher is not to be used or cannot
     * start.
     */
    void exec(ConnectionRun<CommandResult> run, PermitQueue channels, String command, int cap) {
        Runnable viaExec = () -> ConnectionRun.exec(run, session, channels, command, cap, timer, metrics, 0);
        if (!DispatcherScript.canSend(command)) {
            viaExec.run();
            return;
        }
        running().whenComplete((dispatcher, error) -> {
            if (dispatcher == null) {
                viaExec.run();
                return;
            }
            run.withChannel(channels, () -> {
                run.result().whenComplete((done, failure) -> channels.release());
                dispatcher.exec(run.result(), command, cap);
            });
        });
    }

    /** The running dispatcher, a new one once it has started, or {@code null} when exec channels are to be used. */
    private CompletableFuture<DispatcherChannel> running() {
        DispatcherChannel dispatcher;
        synchronized (this) {
            if (unavailable) {
                return CompletableFuture.completedFuture(null);
            }
            if (current == null || current.dead()) {
                current = new DispatcherChannel(session, where, timer, metrics);
                DispatcherChannel starting = current;
                starting.start(startTimeout).thenAccept(up -> {
                    if (!up) {
                        cannotStart(starting);
                    }
                });
            }
            dispatcher = current;
        }
        return dispatcher.started().thenApply(up -> up ? dispatcher : null);
    }

    private void cannotStart(DispatcherChannel failed) {
        synchronized (this) {
            if (current != failed) {
                return;
            }
            unavailable = true;
        }
        String said = failed.diagnostics();
        logger.warn(
                "The command dispatcher could not start on {}; commands there use an exec channel each until the"
                        + " connection is reopened{}",
                where,
                said.isEmpty() ? "" : " (it said: " + said + ")");
    }

    /** Stops the dispatcher, as the connection closes. */
    synchronized void close() {
        if (current != null) {
            current.close("the connection closed");
        }
    }
}
