package dev.patrol.core.job;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Paces one job's transfers to {@code max-rate} over all its targets together, so a backup window does not saturate
 * a link: each chunk books its share of the rate in turn and waits for its slot. Chunks are kept to about an eighth
 * of a second's worth, so a slow rate never sleeps long between checks of cancellation (an interrupt ends the wait).
 *
 * <p>Thread-safe; one per job run, shared by its targets.
 */
final class Throttle {
    private static final int MIN_CHUNK = 4096;

    private final long bytesPerSecond;
    private long nextFreeNanos; // guarded by this

    /** @param bytesPerSecond the rate, or 0 for none */
    Throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        this.nextFreeNanos = System.nanoTime();
    }

    /** The largest chunk to read or write at once: {@code preferred}, or less under a slow rate. */
    int chunk(int preferred) {
        if (bytesPerSecond == 0) {
            return preferred;
        }
        return (int) Math.max(MIN_CHUNK, Math.min(preferred, bytesPerSecond / 8));
    }

    /** Waits until {@code bytes} more fit in the rate. */
    void acquire(int bytes) throws InterruptedIOException {
        if (bytesPerSecond == 0 || bytes <= 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            // An idle spell earns no burst: the slot starts now at the earliest.
            long start = Math.max(nextFreeNanos, now);
            nextFreeNanos = start + TimeUnit.SECONDS.toNanos(bytes) / bytesPerSecond;
            wait = start - now;
        }
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while pacing the transfer to max-rate");
            }
        }
    }
}
