package dev.patrol.transport.ssh;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * Caps the channels open at once on one SSH connection, as the server's {@code MaxSessions} does (OpenSSH: 10), so
 * that the eleventh command waits for a free channel instead of being refused by the server. Waiting is a queued
 * future, never a blocked thread; waiters are served in order.
 *
 * <pre>{@code
 * limiter.acquire().thenRun(() -> runThenCall(limiter::release));
 * }</pre>
 *
 * <p>Thread-safe. A waiter that gives up completes or cancels its own future; {@link #release()} then skips it.
 */
final class ChannelLimiter {
    private final int max;
    private final ArrayDeque<CompletableFuture<Void>> waiters = new ArrayDeque<>();
    private int inUse;

    ChannelLimiter(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        this.max = max;
    }

    /**
     * A future that completes when a channel may be opened. Whoever sees it complete normally owns one permit and
     * must call {@link #release()} exactly once.
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

    /** Returns a permit; hands it to the oldest waiter still waiting. */
    void release() {
        while (true) {
            CompletableFuture<Void> next;
            synchronized (this) {
                next = waiters.poll();
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

    /** Fails every waiter, e.g. when the connection is gone; permits already handed out are released as usual. */
    void failWaiters(Throwable cause) {
        ArrayDeque<CompletableFuture<Void>> failed;
        synchronized (this) {
            failed = new ArrayDeque<>(waiters);
            waiters.clear();
        }
        failed.forEach(waiter -> waiter.completeExceptionally(cause));
    }

    synchronized int inUse() {
        return inUse;
    }

    synchronized int waiting() {
        return (int) waiters.stream().filter(waiter -> !waiter.isDone()).count();
    }
}
