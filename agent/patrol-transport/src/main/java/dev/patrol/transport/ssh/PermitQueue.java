package dev.patrol.transport.ssh;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A fixed number of permits handed out in order, where waiting is a queued future, never a blocked thread. The pool
 * uses one per connection to cap the channels open at once, as the server's {@code MaxSessions} does (OpenSSH: 10),
 * so that the eleventh command waits for a free channel instead of being refused by the server; and one for the
 * whole agent to cap the SSH handshakes in progress ({@code patrol.limits.max-ssh-handshakes}), so that a cold start
 * against hundreds of hosts does not starve every handshake of CPU at once.
 *
 * <pre>{@code
 * permits.acquire().thenRun(() -> runThenCall(permits::release));
 * }</pre>
 *
 * <p>Thread-safe. A waiter that gives up completes or cancels its own future; {@link #release()} then skips it.
 */
final class PermitQueue {
    private final ArrayDeque<CompletableFuture<Void>> waiters = new ArrayDeque<>();
    private int max;
    private int inUse;

    PermitQueue(int max) {
        this.max = checked(max);
    }

    /**
     * A future that completes when a permit is free. Whoever sees it complete normally owns one permit and must call
     * {@link #release()} exactly once.
     */
    CompletableFuture<Void> acquire() {
        CompletableFuture<Void> permit = new CompletableFuture<>();
        synchronized (this) {
            if (inUse < max) {
                inUse++;
            } else {
                waiters.add(permit);
                return permit;
            }
        }
        permit.complete(null);
        return permit;
    }

    /**
     * Takes a permit only if {@code keepFree} more stay free after it and nobody is waiting for one, so that whoever
     * takes spare permits this way (a job's extra SFTP channels) never overtakes a queued command. The caller owns the
     * permit when this returns {@code true} and must call {@link #release()} exactly once.
     */
    synchronized boolean tryAcquire(int keepFree) {
        if (inUse + 1 + keepFree > max || waiters.stream().anyMatch(waiter -> !waiter.isDone())) {
            return false;
        }
        inUse++;
        return true;
    }

    /** Returns a permit; hands it to the oldest waiter still waiting, unless a lowered maximum keeps it. */
    void release() {
        while (true) {
            CompletableFuture<Void> next;
            synchronized (this) {
                next = inUse > max ? null : waiters.poll();
                if (next == null) {
                    inUse--;
                    return;
                }
            }
            // Completed outside the lock: the waiter's continuation runs here and may call acquire or release.
            if (next.complete(null)) {
                return;
            }
        }
    }

    /**
     * Changes the number of permits (a reload). Raising it serves waiters at once; lowering it takes effect as
     * permits in use come back.
     */
    void resize(int newMax) {
        synchronized (this) {
            max = checked(newMax);
        }
        while (true) {
            CompletableFuture<Void> next;
            synchronized (this) {
                if (inUse >= max || waiters.isEmpty()) {
                    return;
                }
                next = waiters.poll();
                inUse++;
            }
            if (!next.complete(null)) {
                release(); // the waiter had given up: hand the permit on
            }
        }
    }

    /** Fails every waiter, e.g. when the connection is gone; permits already handed out are released as usual. */
    void failWaiters(Throwable cause) {
        ArrayDeque<CompletableFuture<Void>> failed;
        synchronized (this) {
            failed = new ArrayDeque<>(waiters);
            waiters.clear();
        }
        failed.forEach(waiter -> waiter.completeExceptionally(cause));
    }

    synchronized int max() {
        return max;
    }

    synchronized int inUse() {
        return inUse;
    }

    synchronized int waiting() {
        return (int) waiters.stream().filter(waiter -> !waiter.isDone()).count();
    }

    private static int checked(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        return max;
    }
}
