package dev.patrol.transport.ssh;

import dev.patrol.api.CommandResult;
import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command on one exec channel, from open to close. Output goes to capped in-memory buffers on MINA's I/O thread;
 * the exit status is read when the channel closes. The channel is always closed and its permit always returned: when
 * the command ends, when it fails, and when {@code result} is completed from outside (the run's deadline), in which
 * case the remote process is first sent {@code SIGKILL} (OpenSSH 7.9 and later honour the {@code signal} request).
 *
 * <p>Thread-safe; MINA calls it from its I/O threads.
 */
final class CommandRun {
    private static final Logger logger = LoggerFactory.getLogger(CommandRun.class);

    /** How long a graceful channel close may take before the channel is dropped on our side alone. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final ClientSession session;
    private final String command;
    private final String where;
    private final CappedOutput stdout;
    private final CappedOutput stderr;
    private final ScheduledExecutorService timer;
    private final SshMetrics metrics;
    private final Runnable onClosed;
    private final AtomicBoolean opened = new AtomicBoolean();
    private final AtomicBoolean closedOnce = new AtomicBoolean();

    CommandRun(
            ClientSession session,
            String command,
            int maxOutputBytes,
            String where,
            ScheduledExecutorService timer,
            SshMetrics metrics,
            Runnable onClosed) {
        this.session = session;
        this.command = command;
        this.where = where;
        this.stdout = new CappedOutput(maxOutputBytes);
        this.stderr = new CappedOutput(maxOutputBytes);
        this.timer = timer;
        this.metrics = metrics;
        this.onClosed = onClosed;
    }

    /**
     * Opens the channel and runs the command; completes {@code result} when the channel closes. Calls
     * {@code onClosed} exactly once, when the channel is closed or could not be created.
     */
    void start(CompletableFuture<CommandResult> result) {
        ChannelExec channel;
        try {
            channel = session.createExecChannel(command);
        } catch (IOException | RuntimeException e) {
            closed();
            result.completeExceptionally(SshFailures.classify(e, "open a channel to " + where));
            return;
        }
        channel.setOut(stdout);
        channel.setErr(stderr);
        channel.addCloseFutureListener(future -> {
            closed();
            finish(channel, result);
        });
        result.whenComplete((done, error) -> {
            if (error != null && !channel.isClosed()) {
                stop(channel);
            }
        });
        long started = System.nanoTime();
        try {
            channel.open().addListener(future -> {
                metrics.channelOpened(Duration.ofNanos(System.nanoTime() - started));
                if (future.isOpened()) {
                    opened.set(true);
                    endInput(channel);
                    if (result.isDone()) {
                        stop(channel); // cancelled while the open was in flight
                    }
                } else {
                    result.completeExceptionally(
                            SshFailures.classify(future.getException(), "open a channel to " + where));
                    channel.close(true);
                }
            });
        } catch (IOException | RuntimeException e) {
            result.completeExceptionally(SshFailures.classify(e, "open a channel to " + where));
            channel.close(true);
        }
    }

    private void closed() {
        if (closedOnce.compareAndSet(false, true)) {
            onClosed.run();
        }
    }

    private void finish(ChannelExec channel, CompletableFuture<CommandResult> result) {
        Integer status = channel.getExitStatus();
        String signal = channel.getExitSignal();
        if (status == null && signal == null) {
            result.completeExceptionally(new SshFailure(
                    Reason.CONNECTION_FAILED,
                    "the channel to " + where + " closed before the command reported how it ended"
                            + (session.isOpen() ? "" : " (connection lost)")));
            return;
        }
        result.complete(new CommandResult(
                status == null ? -1 : status,
                signal,
                stdout.text(),
                stderr.text(),
                stdout.truncated() || stderr.truncated()));
    }

    /** The command gets no input: EOF at once, so a command that reads stdin ends instead of hanging. */
    private void endInput(ChannelExec channel) {
        try {
            channel.getInvertedIn().close();
        } catch (IOException e) {
            logger.debug("Could not send EOF on the channel to {}: {}", where, e.toString());
        }
    }

    private void stop(ChannelExec channel) {
        if (opened.get()) {
            sendKill(channel);
        }
        channel.close(false);
        // A server that never answers our CLOSE must not keep the channel, and its permit, forever.
        timer.schedule(() -> channel.close(true), CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** RFC 4254 6.9 "signal": OpenSSH delivers it to the command's process group; other servers may ignore it. */
    private void sendKill(ChannelExec channel) {
        try {
            Buffer buffer = session.createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, 32);
            buffer.putUInt(channel.getRecipient());
            buffer.putString("signal");
            buffer.putBoolean(false);
            buffer.putString("KILL");
            channel.writePacket(buffer);
        } catch (IOException | RuntimeException e) {
            logger.debug("Could not signal the command on {}: {}", where, e.toString());
        }
    }
}
