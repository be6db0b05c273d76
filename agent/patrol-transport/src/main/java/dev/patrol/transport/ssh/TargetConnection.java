package dev.patrol.transport.ssh;

import dev.patrol.api.CheckContext;
import dev.patrol.api.CommandResult;
import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;

/**
 * The one authenticated SSH connection to a target (user, host, port and credentials), opened on first use, shared
 * by every command sent there, closed after {@code session-idle-close} without use, and opened again after a failure
 * only once its backoff (1 s doubling to 60 s) has passed. Commands sent during the backoff fail at once with the
 * last failure's reason.
 *
 * <p>Thread-safe: state changes happen under the object's lock; futures are completed outside it.
 */
final class TargetConnection {
    /** What {@code patrol_ssh_sessions{state}} counts. */
    enum State {
        CONNECTING,
        OPEN,
        IDLE,
        FAILED,
        /** No session and nothing to report: not counted. */
        CLOSED
    }

    /** A live session with its own channel limit; a new session starts with a fresh limiter. */
    private record Live(ClientSession session, ChannelLimiter limiter) {}

    private final String target;
    private final String host;
    private final int port;
    private final SshSettings settings;
    private final String where;
    private final SessionOpener opener;
    private final ScheduledExecutorService timer;
    private final SshMetrics metrics;
    private static final Duration REFUSED_PAUSE = Duration.ofMillis(200);
    private static final int MAX_REFUSALS = 600;

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    private Live live;
    private CompletableFuture<Live> pending;
    private SshFailure lastFailure;
    private long retryAtNanos;
    private int running;
    private long lastUsedNanos = System.nanoTime();
    private boolean closed;

    TargetConnection(
            String target,
            String host,
            int port,
            SshSettings settings,
            SessionOpener opener,
            ScheduledExecutorService timer,
            SshMetrics metrics) {
        this.target = target;
        this.host = host;
        this.port = port;
        this.settings = settings;
        this.where = settings.effectiveUser() + "@" + host + ":" + port;
        this.opener = opener;
        this.timer = timer;
        this.metrics = metrics;
        metrics.initTarget(target);
    }

    /**
     * Runs {@code command}; see {@link dev.patrol.api.SshSessions#exec}. Returns {@code null} when this connection
     * was retired or closed, so the caller gets a fresh one from the pool.
     */
    CompletableFuture<CommandResult> exec(String command, int maxOutputBytes, CheckContext context) {
        CompletableFuture<CommandResult> result = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                return null;
            }
            running++;
        }
        result.whenComplete((done, error) -> {
            synchronized (this) {
                running--;
                lastUsedNanos = System.nanoTime();
            }
        });
        context.cancelled()
                .thenRun(() -> result.completeExceptionally(new SshFailure(
                        Reason.TIMEOUT, "the run's deadline passed before the command on " + where + " finished")));
        live().whenComplete((session, connectError) -> {
            if (connectError != null) {
                result.completeExceptionally(SshFailures.classify(connectError, "connect to " + where));
            } else {
                runOn(session, command, maxOutputBytes, result, 0);
            }
        });
        return result;
    }

    /**
     * Runs the command once a channel is free. A server with fewer sessions than {@code max-channels}, or one still
     * counting channels we closed (OpenSSH frees a slot only once the command's process is reaped), refuses the open;
     * that is retried after a pause, within the run's own deadline, instead of failing the check.
     */
    private void runOn(
            Live session, String command, int maxOutputBytes, CompletableFuture<CommandResult> result, int refusals) {
        CompletableFuture<Void> permit = session.limiter().acquire();
        result.whenComplete((done, error) -> permit.cancel(false));
        permit.whenComplete((granted, waitError) -> {
            if (waitError != null) {
                result.completeExceptionally(SshFailures.classify(waitError, "open a channel to " + where));
                return;
            }
            if (result.isDone()) {
                session.limiter().release();
                return;
            }
            CompletableFuture<CommandResult> attempt = new CompletableFuture<>();
            result.whenComplete((done, error) -> {
                if (error != null) {
                    attempt.completeExceptionally(error); // the deadline: stop the command
                }
            });
            attempt.whenComplete((done, error) -> {
                if (error == null) {
                    result.complete(done);
                } else if (isRefusedOpen(error) && refusals < MAX_REFUSALS && !result.isDone()) {
                    timer.schedule(
                            () -> runOn(session, command, maxOutputBytes, result, refusals + 1),
                            REFUSED_PAUSE.toMillis(),
                            TimeUnit.MILLISECONDS);
                } else {
                    result.completeExceptionally(error);
                }
            });
            new CommandRun(
                            session.session(),
                            command,
                            maxOutputBytes,
                            where,
                            timer,
                            metrics,
                            session.limiter()::release)
                    .start(attempt);
        });
    }

    private static boolean isRefusedOpen(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            // OpenSSH answers "no more sessions" (MaxSessions reached) with CONNECT_FAILED; others use PROHIBITED.
            if (cause instanceof SshChannelOpenException open
                    && (open.getReasonCode() == SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED
                            || open.getReasonCode() == SshConstants.SSH_OPEN_CONNECT_FAILED)) {
                return true;
            }
        }
        return false;
    }

    /** Blocking work on the session, such as an SFTP read, holding one channel permit while it runs. */
    @FunctionalInterface
    interface SessionWork<T> {
        /** Does the work; {@code outcome} fails when the run is cancelled, and the work then frees what it holds. */
        T run(ClientSession session, CompletableFuture<?> outcome) throws Exception;
    }

    /**
     * Runs {@code work} on {@code executor} once the session is up and a channel permit is free, under the same
     * deadline and limits as {@link #exec}. Returns {@code null} when this connection was retired or closed.
     */
    <T> CompletableFuture<T> onChannel(SessionWork<T> work, Executor executor, CheckContext context) {
        CompletableFuture<T> result = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                return null;
            }
            running++;
        }
        result.whenComplete((done, error) -> {
            synchronized (this) {
                running--;
                lastUsedNanos = System.nanoTime();
            }
        });
        context.cancelled()
                .thenRun(() -> result.completeExceptionally(new SshFailure(
                        Reason.TIMEOUT, "the run's deadline passed before the file operation on " + where + " ended")));
        live().whenComplete((session, connectError) -> {
            if (connectError != null) {
                result.completeExceptionally(SshFailures.classify(connectError, "connect to " + where));
                return;
            }
            CompletableFuture<Void> permit = session.limiter().acquire();
            result.whenComplete((done, error) -> permit.cancel(false));
            permit.whenComplete((granted, waitError) -> {
                if (waitError != null) {
                    result.completeExceptionally(SshFailures.classify(waitError, "open a channel to " + where));
                    return;
                }
                try {
                    executor.execute(() -> {
                        try {
                            if (!result.isDone()) {
                                result.complete(work.run(session.session(), result));
                            }
                        } catch (java.io.IOException e) {
                            result.completeExceptionally(
                                    session.session().isOpen() ? e : SshFailures.classify(e, "use " + where));
                        } catch (Exception e) {
                            result.completeExceptionally(SshFailures.classify(e, "use " + where));
                        } finally {
                            session.limiter().release();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    session.limiter().release();
                    result.completeExceptionally(new SshFailure(Reason.CONNECTION_FAILED, "the SSH pool is closed"));
                }
            });
        });
        return result;
    }

    /**
     * Runs {@code work} on the authenticated session; the connection counts as in use (not retired for idleness)
     * until the stage {@code work} returns completes. Returns {@code null} when this connection was retired or closed.
     */
    <T> CompletableFuture<T> withSession(Function<ClientSession, CompletionStage<T>> work) {
        synchronized (this) {
            if (closed) {
                return null;
            }
            running++;
        }
        CompletableFuture<T> result =
                live().thenCompose(session -> work.apply(session.session())).toCompletableFuture();
        result.whenComplete((done, error) -> {
            synchronized (this) {
                running--;
                lastUsedNanos = System.nanoTime();
            }
        });
        return result;
    }

    /** The authenticated session as a future: the live one, the one being opened, or a new attempt. */
    CompletableFuture<ClientSession> session() {
        return live().thenApply(Live::session);
    }

    private CompletableFuture<Live> live() {
        CompletableFuture<Live> attempt;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(
                        new SshFailure(Reason.CONNECTION_FAILED, "the SSH pool is closed"));
            }
            if (live != null && live.session().isOpen()) {
                return CompletableFuture.completedFuture(live);
            }
            if (pending != null) {
                return pending;
            }
            long wait = retryAtNanos - System.nanoTime();
            if (lastFailure != null && wait > 0) {
                return CompletableFuture.failedFuture(new SshFailure(
                        lastFailure.reason(),
                        lastFailure.getMessage() + " (next attempt in " + Math.max(1, wait / 1_000_000_000L) + "s)"));
            }
            attempt = new CompletableFuture<>();
            pending = attempt;
        }
        opener.open(host, port, settings).whenComplete(this::opened);
        return attempt;
    }

    private void opened(ClientSession session, Throwable error) {
        CompletableFuture<Live> attempt;
        Live opened = null;
        SshFailure failure = null;
        synchronized (this) {
            attempt = pending;
            pending = null;
            if (error != null) {
                failure = SshFailures.classify(error, "connect to " + where);
                lastFailure = failure;
                retryAtNanos = System.nanoTime() + backoff.failed().toNanos();
            } else if (closed) {
                failure = new SshFailure(Reason.CONNECTION_FAILED, "the SSH pool is closed");
            } else {
                backoff.succeeded();
                lastFailure = null;
                opened = new Live(session, new ChannelLimiter(settings.maxChannels()));
                live = opened;
            }
        }
        metrics.connected(target, failure == null ? null : failure.reason());
        if (failure != null) {
            if (session != null) {
                session.close(true);
            }
            attempt.completeExceptionally(failure);
            return;
        }
        Live current = opened;
        session.addCloseFutureListener(future -> lost(current));
        attempt.complete(current);
    }

    private void lost(Live gone) {
        synchronized (this) {
            if (live == gone) {
                live = null;
            }
        }
        gone.limiter()
                .failWaiters(new SshFailure(
                        Reason.CONNECTION_FAILED,
                        "the connection to " + where + " closed while waiting for a channel"));
    }

    /**
     * Closes this connection for good when it has been unused for {@code session-idle-close}, so the pool can forget
     * it; returns whether it did. A command that races with this sees {@link #exec} return {@code null}.
     */
    boolean retireIfIdle(long nowNanos) {
        ClientSession toClose;
        synchronized (this) {
            if (closed) {
                return true;
            }
            if (running > 0
                    || pending != null
                    || nowNanos - lastUsedNanos < settings.sessionIdleClose().toNanos()) {
                return false;
            }
            closed = true;
            toClose = live == null ? null : live.session();
            live = null;
        }
        if (toClose != null) {
            toClose.close(false);
        }
        return true;
    }

    synchronized State state() {
        if (pending != null) {
            return State.CONNECTING;
        }
        if (live != null && live.session().isOpen()) {
            return running > 0 ? State.OPEN : State.IDLE;
        }
        if (lastFailure != null && retryAtNanos - System.nanoTime() > 0) {
            return State.FAILED;
        }
        return State.CLOSED;
    }

    /** Channels open (or opening) on the live session; for tests and the status page. */
    synchronized int channelsInUse() {
        return live == null ? 0 : live.limiter().inUse();
    }

    void close() {
        ClientSession toClose;
        synchronized (this) {
            closed = true;
            toClose = live == null ? null : live.session();
            live = null;
        }
        if (toClose != null) {
            toClose.close(true);
        }
    }
}
