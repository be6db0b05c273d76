package dev.patrol.transport.ssh;

import dev.patrol.api.CommandResult;
import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;

/**
 * One running command dispatcher ({@code dispatcher.sh}) on one exec channel: every command sent to it is one
 * request packet out and, usually, one reply packet back, instead of a channel opened, requested, drained and closed
 * per command. Commands run concurrently; a command whose run ends from outside (its deadline) has its process group
 * killed by a kill request. The dispatcher is dead when its channel closes, when its main loop exits while the channel
 * stays open, when it writes something outside the protocol, or when it leaves a kill request unanswered for
 * {@link #ANSWER_GRACE} (stopped or hung): every command in flight then fails with {@link Reason#CONNECTION_FAILED}.
 *
 * <p>Thread-safe: replies arrive on MINA's I/O thread, requests from any thread.
 */
final class DispatcherChannel implements DispatcherReplies.Listener {
    /** How long a running dispatcher may take to answer a kill request before it is declared hung. */
    static final Duration ANSWER_GRACE = Duration.ofSeconds(5);

    private record Pending(CompletableFuture<CommandResult> result, CappedOutput out, CappedOutput err) {}

    private final ClientSession session;
    private final String where;
    private final ScheduledExecutorService timer;
    private final SshMetrics metrics;
    private final CompletableFuture<Boolean> started = new CompletableFuture<>();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final CappedOutput diagnostics = new CappedOutput(2048);
    private final Object sending = new Object();
    private volatile ChannelExec channel;
    private volatile String deadReason;
    private volatile long lastHeardNanos = System.nanoTime();
    /** The reply being read: its status and totals. */
    private int replyStatus;

    private long replyOut;
    private long replyErr;

    DispatcherChannel(ClientSession session, String where, ScheduledExecutorService timer, SshMetrics metrics) {
        this.session = session;
        this.where = where;
        this.timer = timer;
        this.metrics = metrics;
    }

    /** Starts the dispatcher; the future says whether it came up (banner seen) within {@code within}. */
    CompletableFuture<Boolean> start(Duration within) {
        ChannelExec exec;
        try {
            exec = session.createExecChannel(DispatcherScript.COMMAND);
        } catch (IOException | RuntimeException e) {
            ended("its channel could not be created: " + e.getMessage());
            return started;
        }
        channel = exec;
        exec.setOut(new DispatcherReplies(this));
        exec.setErr(diagnostics);
        exec.addCloseFutureListener(future -> ended("its channel closed"));
        exec.addChannelListener(new ChannelListener() {
            @Override
            public void channelStateChanged(Channel changed, String hint) {
                if (hint != null && hint.startsWith("exit")) {
                    exec.close(false); // the main loop ended; a writer left behind must not keep us waiting
                }
            }
        });
        long opening = System.nanoTime();
        try {
            exec.open().addListener(future -> {
                metrics.channelOpened(Duration.ofNanos(System.nanoTime() - opening));
                if (!future.isOpened()) {
                    ended("its channel was refused: " + future.getException());
                }
            });
        } catch (IOException | RuntimeException e) {
            ended("its channel could not be opened: " + e.getMessage());
            exec.close(true);
            return started;
        }
        timer.schedule(
                () -> {
                    if (started.complete(false)) {
                        exec.close(true);
                    }
                },
                within.toMillis(),
                TimeUnit.MILLISECONDS);
        return started;
    }

    CompletableFuture<Boolean> started() {
        return started;
    }

    boolean dead() {
        return deadReason != null;
    }

    /** What the dispatcher wrote on stderr, for the log when it could not start. */
    String diagnostics() {
        return diagnostics.text().strip();
    }

    /**
     * Runs {@code command}, completing {@code result} with its outcome; when {@code result} is completed from outside
     * first, the command is killed.
     */
    void exec(CompletableFuture<CommandResult> result, String command, int cap) {
        long id = ids.incrementAndGet();
        pending.put(id, new Pending(result, new CappedOutput(cap), new CappedOutput(cap)));
        if (dead()) {
            failPending();
            return;
        }
        result.whenComplete((done, error) -> {
            if (pending.remove(id) != null) {
                kill(id);
            }
        });
        send(DispatcherScript.request(id, command, cap));
    }

    private void kill(long id) {
        long sent = System.nanoTime();
        send(DispatcherScript.kill(id));
        timer.schedule(
                () -> {
                    if (lastHeardNanos - sent < 0 && !dead()) {
                        close("it left a kill request unanswered for " + ANSWER_GRACE.toSeconds() + "s");
                    }
                },
                ANSWER_GRACE.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void send(byte[] request) {
        ChannelExec exec = channel;
        try {
            synchronized (sending) {
                OutputStream in = exec.getInvertedIn();
                in.write(request);
                in.flush();
            }
        } catch (IOException | RuntimeException e) {
            close("a request could not be sent: " + e.getMessage());
        }
    }

    /** Closes the channel; commands in flight fail as connection errors. */
    void close(String why) {
        ended(why);
        ChannelExec exec = channel;
        if (exec != null) {
            exec.close(true);
        }
    }

    private void ended(String why) {
        synchronized (this) {
            if (deadReason == null) {
                deadReason = why;
            }
        }
        started.complete(false);
        failPending();
    }

    private void failPending() {
        for (Long id : pending.keySet()) {
            Pending gone = pending.remove(id);
            if (gone != null) {
                gone.result()
                        .completeExceptionally(new SshFailure(
                                Reason.CONNECTION_FAILED,
                                "the command dispatcher on " + where + " ended while the command ran (" + deadReason
                                        + (session.isOpen() ? ")" : "; connection lost)")));
            }
        }
    }

    @Override
    public void banner(String line) {
        lastHeardNanos = System.nanoTime();
        if (DispatcherScript.BANNER.equals(line)) {
            started.complete(true);
        } else {
            close("it started with an unexpected line instead of its banner: " + line);
        }
    }

    @Override
    public void reply(long id, int status, long out, long err) {
        lastHeardNanos = System.nanoTime();
        replyStatus = status;
        replyOut = out;
        replyErr = err;
    }

    @Override
    public void body(long id, boolean stderr, byte[] data, int offset, int length) {
        Pending run = pending.get(id);
        if (run != null) {
            (stderr ? run.err() : run.out()).write(data, offset, length);
        }
    }

    @Override
    public void replyEnd(long id) {
        lastHeardNanos = System.nanoTime();
        Pending run = pending.remove(id);
        if (run != null) {
            boolean truncated =
                    replyOut > run.out().total() || replyErr > run.err().total();
            run.result()
                    .complete(new CommandResult(
                            replyStatus, null, run.out().text(), run.err().text(), truncated));
        }
    }

    @Override
    public void killHandled(long id) {
        lastHeardNanos = System.nanoTime();
    }

    @Override
    public void garbage(String line) {
        close("it wrote a line outside its protocol: " + line);
    }
}
