package dev.patrol.transport.ssh;

import dev.patrol.api.CheckContext;
import dev.patrol.api.CommandResult;
import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.sshd.client.session.ClientSession;

/**
 * The one authenticated SSH connection to a target (user, host, port and credentials), opened on first use, shared
 * by every command sent there, closed after {@code session-idle-close} without use, and opened again after a failure
 * only once its backoff (1 s doubling to 60 s) has passed. Commands sent during the backoff fail at once with the
 * last failure's reason. Opening waits for a slot of the agent's {@link HandshakeQueue}; what one run does with the
 * connection (its waits, its channel permit) is a {@link ConnectionRun}.
 *
 * <p>Thread-safe: state changes happen under the object's lock; futures are completed outside it.
 */
final class TargetConnection {
    /**
     * A live session with its own channel permits, job slots and dispatcher; a new session starts with fresh ones.
     * There is one job slot fewer than channels ({@link #withChannel}), none with a single channel.
     */
    private record Live(ClientSession session, PermitQueue channels, PermitQueue jobs, Dispatcher dispatcher) {}

    private final String target;
    private final String host;
    private final int port;
    private final SshSettings settings;
    private final String where;
    private final HandshakeQueue handshakes;
    private final ScheduledExecutorService timer;
    private final SshMetrics metrics;

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    private Live live;
    private CompletableFuture<Live> pending;
    /** The agent-wide handshake permit the pending attempt waits for, or holds once it is done. */
    private CompletableFuture<Void> pendingSlot;

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
            HandshakeQueue handshakes,
            ScheduledExecutorService timer,
            SshMetrics metrics) {
        this.target = target;
        this.host = host;
        this.port = port;
        this.settings = settings;
        this.where = settings.effectiveUser() + "@" + host + ":" + port;
        this.handshakes = handshakes;
        this.timer = timer;
        this.metrics = metrics;
        metrics.initTarget(target);
    }

    /**
     * Runs {@code command}; see {@link dev.patrol.api.SshSessions#exec}. Returns {@code null} when this connection
     * was retired or closed, so the caller gets a fresh one from the pool.
     */
    CompletableFuture<CommandResult> exec(String command, int maxOutputBytes, CheckContext context) {
        return use(context, "the command", (run, live) -> live.dispatcher()
                .exec(run, live.channels(), command, maxOutputBytes));
    }

    /**
     * Runs {@code work} on {@code executor} once the session is up and a channel permit is free, under the same
     * deadline and limits as {@link #exec}. Returns {@code null} when this connection was retired or closed.
     */
    <T> CompletableFuture<T> onChannel(ConnectionRun.SessionWork<T> work, Executor executor, CheckContext context) {
        return use(
                context,
                "the file operation",
                (run, session) -> run.onChannel(session.session(), session.channels(), work, executor));
    }

    /**
     * Opens something that keeps one channel permit until it is closed (an SFTP reader for a whole run), under the
     * same deadline and limits as {@link #exec}; the connection counts as in use while it is open, so it is not
     * closed for idleness under it. Returns {@code null} when this connection was retired or closed.
     */
    <T extends AutoCloseable> CompletableFuture<T> holdChannel(
            ConnectionRun.ChannelOpener<? extends T> opener, Executor executor, CheckContext context) {
        return use(
                context,
                "opening the SFTP channel",
                (run, session) -> run.holdChannel(
                        session.session(), session.channels(), opener, executor, this::enter, this::left));
    }

    /**
     * What {@link #exec} and {@link #onChannel} share: the connection counts as in use until the run ends, the run
     * waits for the session (its handshake slot counted as the agent's wait), then {@code body} goes on with it.
     */
    private <T> CompletableFuture<T> use(CheckContext context, String doing, BiConsumer<ConnectionRun<T>, Live> body) {
        if (!enter()) {
            return null;
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        result.whenComplete((done, error) -> left());
        ConnectionRun<T> run = new ConnectionRun<>(context, result, doing, where);
        live(run).whenComplete((session, connectError) -> {
            if (connectError != null) {
                result.completeExceptionally(SshFailures.classify(connectError, "connect to " + where));
            } else {
                body.accept(run, session);
            }
        });
        return result;
    }

    /**
     * Runs {@code work} on the authenticated session; the connection counts as in use (not retired for idleness)
     * until the stage {@code work} returns completes. Returns {@code null} when this connection was retired or closed.
     */
    <T> CompletableFuture<T> withSession(Function<ClientSession, CompletionStage<T>> work) {
        if (!enter()) {
            return null;
        }
        CompletableFuture<T> result =
                live(null).thenCompose(session -> work.apply(session.session())).toCompletableFuture();
        result.whenComplete((done, error) -> left());
        return result;
    }

    /**
     * Runs {@code work} on the authenticated session once one of the connection's channel permits is free, for a
     * job's SFTP channel: the permit is held until the stage {@code work} returns completes, and {@code work} may take
     * more without waiting ({@link SpareChannels}). So checks and jobs on one connection together stay within
     * {@code max-channels}, the server's {@code MaxSessions}. {@code cancelled} gives up the wait (the job's
     * timeout). Returns {@code null} when this connection was retired or closed.
     */
    <T> CompletableFuture<T> withChannel(
            CompletionStage<?> cancelled, BiFunction<ClientSession, SpareChannels, CompletionStage<T>> work) {
        if (!enter()) {
            return null;
        }
        CompletableFuture<T> result = live(null)
                .thenCompose(session -> {
                    PermitQueue channels = session.channels();
                    // A job also runs commands (the checksum) while it holds its SFTP channel. With one channel per
                    // connection they would wait behind the job's own permit for ever, so the job then takes none.
                    // With more, jobs wait for a job slot first: there is one fewer than channels, so however many
                    // jobs run on one host, a channel is left over for their commands, and none waits for ever on
                    // a permit that another waiting job holds.
                    boolean counted = session.jobs() != null;
                    CompletableFuture<Void> permit =
                            counted ? jobSlotThenChannel(session, cancelled) : CompletableFuture.completedFuture(null);
                    Runnable release = counted
                            ? () -> {
                                channels.release();
                                session.jobs().release();
                            }
                            : () -> {};
                    return permit.thenCompose(granted -> {
                        CompletionStage<T> stage;
                        try {
                            stage = work.apply(session.session(), counted ? new Spare(channels) : SpareChannels.NONE);
                        } catch (RuntimeException e) {
                            release.run();
                            throw e;
                        }
                        return stage.whenComplete((done, error) -> release.run());
                    });
                })
                .toCompletableFuture();
        result.whenComplete((done, error) -> left());
        return result;
    }

    /**
     * A job slot, then a channel permit, both given up when {@code cancelled} completes first (a granted one stays
     * granted; a slot granted before a cancelled channel wait is returned). Completes normally when the job owns both.
     */
    private static CompletableFuture<Void> jobSlotThenChannel(Live session, CompletionStage<?> cancelled) {
        CompletableFuture<Void> slot = session.jobs().acquire();
        CompletableFuture<Void> channel = new CompletableFuture<>();
        CompletableFuture<?> stop = cancelled.toCompletableFuture();
        stop.whenComplete((done, error) -> {
            slot.cancel(false);
            channel.cancel(false);
        });
        slot.whenComplete((granted, error) -> {
            if (error != null) {
                channel.completeExceptionally(error);
                return;
            }
            CompletableFuture<Void> permit = session.channels().acquire();
            // Whichever of the two ends first decides; a permit granted to a job that gave up goes back at once.
            channel.whenComplete((done, failed) -> permit.cancel(false));
            permit.whenComplete((done, failed) -> {
                if (failed != null) {
                    channel.completeExceptionally(failed); // the connection closed under the wait
                } else if (!channel.complete(null)) {
                    session.channels().release();
                }
            });
            if (stop.isDone()) {
                channel.cancel(false);
            }
        });
        channel.whenComplete((done, error) -> {
            if (error != null && slot.isDone() && !slot.isCompletedExceptionally()) {
                session.jobs().release();
            }
        });
        return channel;
    }

    /**
     * Spare permits of one connection, taken only when free and nobody waits, and never the last free one: the job's
     * own commands (a fetch's checksum, which it waits for while its channels stay open) queue for that one.
     */
    private record Spare(PermitQueue channels) implements SpareChannels {
        @Override
        public Optional<Permit> tryTake() {
            if (!channels.tryAcquire(1)) {
                return Optional.empty();
            }
            AtomicBoolean returned = new AtomicBoolean();
            return Optional.of(() -> {
                if (returned.compareAndSet(false, true)) {
                    channels.release();
                }
            });
        }
    }

    /** Counts one more use in progress, unless this connection was retired or closed. */
    private synchronized boolean enter() {
        if (closed) {
            return false;
        }
        running++;
        return true;
    }

    private synchronized void left() {
        running--;
        lastUsedNanos = System.nanoTime();
    }

    /** The authenticated session as a future: the live one, the one being opened, or a new attempt. */
    CompletableFuture<ClientSession> session() {
        return live(null).thenApply(Live::session);
    }

    /**
     * The live session, the one being opened, or a new attempt, which first waits for one of the agent's handshake
     * slots; {@code run}, when given, counts that wait as the agent's.
     */
    private CompletableFuture<Live> live(ConnectionRun<?> run) {
        CompletableFuture<Live> attempt;
        CompletableFuture<Void> slot;
        boolean start = false;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(
                        new SshFailure(Reason.CONNECTION_FAILED, "the SSH pool is closed"));
            }
            if (live != null && live.session().isOpen()) {
                return CompletableFuture.completedFuture(live);
            }
            if (pending == null) {
                long wait = retryAtNanos - System.nanoTime();
                if (lastFailure != null && wait > 0) {
                    return CompletableFuture.failedFuture(new SshFailure(
                            lastFailure.reason(),
                            lastFailure.getMessage() + " (next attempt in " + Math.max(1, wait / 1_000_000_000L)
                                    + "s)"));
                }
                pending = new CompletableFuture<>();
                pendingSlot = handshakes.slot();
                start = true;
            }
            attempt = pending;
            slot = pendingSlot;
        }
        if (run != null) {
            run.waitFor(slot, "an SSH handshake slot");
        }
        if (start) {
            handshakes.open(slot, host, port, settings).whenComplete(this::opened);
        }
        return attempt;
    }

    private void opened(ClientSession session, Throwable error) {
        CompletableFuture<Live> attempt;
        Live opened = null;
        SshFailure failure = null;
        synchronized (this) {
            attempt = pending;
            pending = null;
            pendingSlot = null;
            if (error != null) {
                failure = SshFailures.classify(error, "connect to " + where);
                lastFailure = failure;
                retryAtNanos = System.nanoTime() + backoff.failed().toNanos();
            } else if (closed) {
                failure = new SshFailure(Reason.CONNECTION_FAILED, "the SSH pool is closed");
            } else {
                backoff.succeeded();
                lastFailure = null;
                Dispatcher dispatcher = new Dispatcher(session, where, settings, timer, metrics);
                int channels = settings.maxChannels();
                opened = new Live(
                        session,
                        new PermitQueue(channels),
                        channels > 1 ? new PermitQueue(channels - 1) : null,
                        dispatcher);
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
        gone.dispatcher().close();
        SshFailure closed = new SshFailure(
                Reason.CONNECTION_FAILED, "the connection to " + where + " closed while waiting for a channel");
        gone.channels().failWaiters(closed);
        if (gone.jobs() != null) {
            gone.jobs().failWaiters(closed);
        }
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

    synchronized ConnectionState state() {
        if (pending != null) {
            return ConnectionState.CONNECTING;
        }
        if (live != null && live.session().isOpen()) {
            return running > 0 ? ConnectionState.OPEN : ConnectionState.IDLE;
        }
        if (lastFailure != null && retryAtNanos - System.nanoTime() > 0) {
            return ConnectionState.FAILED;
        }
        return ConnectionState.CLOSED;
    }

    /** Channels open (or opening) on the live session; for tests and the status page. */
    synchronized int channelsInUse() {
        return live == null ? 0 : live.channels().inUse();
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
