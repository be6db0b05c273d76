package dev.patrol.transport.ssh;

import dev.patrol.api.CheckContext;
import dev.patrol.api.CommandResult;
import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.client.session.ClientSession;

/**
 * One run's use of a {@link TargetConnection}: the waits it spends in the agent's own queues (the handshake queue,
 * the connection's channel permits), told to the run's context through {@link CheckContext#waitingForAgent} so that
 * a deadline passing there is the agent's fault and not the target's; the channel permit it holds; and the failure
 * it ends with when its deadline passes: {@link Reason#AGENT_BUSY} while it still waits in a queue, else
 * {@link Reason#TIMEOUT}.
 *
 * <p>Thread-safe: the wait count is guarded by the object's lock.
 */
final class ConnectionRun<T> {
    private final CheckContext context;
    private final CompletableFuture<T> result;
    private final String where;
    private int waits;
    private String waitingFor;

    /** Fails {@code result} when the run is cancelled, saying what it was doing ("the command") on {@code where}. */
    ConnectionRun(CheckContext context, CompletableFuture<T> result, String doing, String where) {
        this.context = context;
        this.result = result;
        this.where = where;
        context.cancelled().thenRun(() -> result.completeExceptionally(cancelled(doing)));
    }

    CompletableFuture<T> result() {
        return result;
    }

    private synchronized SshFailure cancelled(String doing) {
        if (waits > 0) {
            return new SshFailure(
                    Reason.AGENT_BUSY,
                    "the run's deadline passed while it waited for " + waitingFor + " (" + where
                            + "); the agent was busy, the target is not to blame");
        }
        return new SshFailure(Reason.TIMEOUT, "the run's deadline passed before " + doing + " on " + where + " ended");
    }

    /** Counts {@code slot} as a wait for the agent's own resources until it completes or the run ends. */
    void waitFor(CompletableFuture<?> slot, String what) {
        if (slot.isDone() || result.isDone()) {
            return;
        }
        Runnable told = context.waitingForAgent(what);
        synchronized (this) {
            waits++;
            waitingFor = what;
        }
        AtomicBoolean ended = new AtomicBoolean();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                synchronized (this) {
                    waits--;
                }
                told.run();
            }
        };
        slot.whenComplete((done, error) -> end.run());
        result.whenComplete((done, error) -> end.run());
    }

    /**
     * Runs {@code body} once one of {@code channels}' permits is free; {@code body} then owns it and must release it.
     * The wait counts as the agent's; a run that ends first gives up its place.
     */
    void withChannel(PermitQueue channels, Runnable body) {
        CompletableFuture<Void> permit = channels.acquire();
        result.whenComplete((done, error) -> permit.cancel(false));
        waitFor(permit, "a free channel on the shared connection");
        permit.whenComplete((granted, waitError) -> {
            if (waitError != null) {
                result.completeExceptionally(SshFailures.classify(waitError, "open a channel to " + where));
            } else if (result.isDone()) {
                channels.release();
            } else {
                body.run();
            }
        });
    }

    /** Blocking work on the session, such as an SFTP read, holding one channel permit while it runs. */
    @FunctionalInterface
    interface SessionWork<T> {
        /** Does the work; {@code outcome} fails when the run is cancelled, and the work then frees what it holds. */
        T run(ClientSession session, CompletableFuture<?> outcome) throws Exception;
    }

    /** Runs {@code work} on {@code executor} once one of {@code channels}' permits is free, holding it meanwhile. */
    void onChannel(ClientSession session, PermitQueue channels, SessionWork<T> work, Executor executor) {
        withChannel(channels, () -> {
            try {
                executor.execute(() -> {
                    try {
                        if (!result.isDone()) {
                            result.complete(work.run(session, result));
                        }
                    } catch (IOException e) {
                        result.completeExceptionally(session.isOpen() ? e : SshFailures.classify(e, "use " + where));
                    } catch (Exception e) {
                        result.completeExceptionally(SshFailures.classify(e, "use " + where));
                    } finally {
                        channels.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                channels.release();
                result.completeExceptionally(new SshFailure(Reason.CONNECTION_FAILED, "the SSH pool is closed"));
            }
        });
    }

    /** Opens something on the session that keeps a channel until it is closed, such as an SFTP reader. */
    @FunctionalInterface
    interface ChannelOpener<T> {
        /** Opens it; blocks. The opened thing must run {@code release} exactly once, when it is closed. */
        T open(ClientSession session, Runnable release) throws Exception;
    }

    /**
     * Like {@link #onChannel}, but the permit outlives the run's result: {@code opener} runs on {@code executor}
     * once a permit is free, and what it opens holds the permit until it is closed. {@code hold} marks the
     * connection in use for that time (false: it was closed meanwhile), {@code unhold} ends that on close.
     */
    void holdChannel(
            ClientSession session,
            PermitQueue channels,
            ChannelOpener<? extends T> opener,
            Executor executor,
            java.util.function.BooleanSupplier hold,
            Runnable unhold) {
        withChannel(channels, () -> {
            try {
                executor.execute(() -> openHolding(session, channels, opener, hold, unhold));
            } catch (RejectedExecutionException e) {
                channels.release();
                result.completeExceptionally(new SshFailure(Reason.CONNECTION_FAILED, "the SSH pool is closed"));
            }
        });
    }

    private void openHolding(
            ClientSession session,
            PermitQueue channels,
            ChannelOpener<? extends T> opener,
            java.util.function.BooleanSupplier hold,
            Runnable unhold) {
        if (result.isDone()) {
            channels.release();
            return;
        }
        if (!hold.getAsBoolean()) {
            channels.release();
            result.completeExceptionally(new SshFailure(Reason.CONNECTION_FAILED, "the SSH pool is closed"));
            return;
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                channels.release();
                unhold.run();
            }
        };
        T opened;
        try {
            opened = opener.open(session, release);
        } catch (Exception e) {
            release.run();
            result.completeExceptionally(
                    e instanceof IOException && session.isOpen() ? e : SshFailures.classify(e, "use " + where));
            return;
        }
        if (!result.complete(opened)) {
            try {
                if (opened instanceof AutoCloseable closeable) {
                    closeable.close(); // the run ended while the channel opened: nobody will close it
                }
            } catch (Exception e) {
                // It could not close cleanly; its permit goes back below all the same.
            } finally {
                release.run();
            }
        }
    }

    /**
     * Runs {@code command} on a channel of {@code session}. A server with fewer sessions than {@code max-channels}, or
     * one still counting channels we closed (OpenSSH frees a slot only once the command's process is reaped), refuses
     * the open; that is retried after a pause ({@link RefusedOpens}), within the run's own deadline, instead of failing
     * the check.
     */
    static void exec(
            ConnectionRun<CommandResult> run,
            ClientSession session,
            PermitQueue channels,
            String command,
            int maxOutputBytes,
            ScheduledExecutorService timer,
            SshMetrics metrics,
            int refusals) {
        CompletableFuture<CommandResult> result = run.result;
        run.withChannel(channels, () -> {
            CompletableFuture<CommandResult> attempt = new CompletableFuture<>();
            result.whenComplete((done, error) -> {
                if (error != null) {
                    attempt.completeExceptionally(error); // the deadline: stop the command
                }
            });
            attempt.whenComplete((done, error) -> {
                if (error == null) {
                    result.complete(done);
                } else if (RefusedOpens.isRefused(error) && refusals < RefusedOpens.MAX && !result.isDone()) {
                    metrics.channelRefused();
                    timer.schedule(
                            () -> exec(run, session, channels, command, maxOutputBytes, timer, metrics, refusals + 1),
                            RefusedOpens.PAUSE.toMillis(),
                            TimeUnit.MILLISECONDS);
                } else {
                    result.completeExceptionally(error);
                }
            });
            new CommandRun(session, command, maxOutputBytes, run.where, timer, metrics, channels::release)
                    .start(attempt);
        });
    }
}
