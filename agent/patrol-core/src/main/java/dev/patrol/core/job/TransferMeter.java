package dev.patrol.core.job;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts one target's transferred bytes (retries included), stops the run past {@code max-bytes}, and paces it by the
 * job's shared {@link Throttle}. Thread-safe.
 */
final class TransferMeter {
    /** Thrown when a target's run passes {@code max-bytes}; the target's result is {@code too_large}. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    private final AtomicLong bytes = new AtomicLong();
    private final long maxBytes;
    private final Throttle throttle;

    /** @param maxBytes the bound on this target's bytes, or 0 for none */
    TransferMeter(long maxBytes, Throttle throttle) {
        this.maxBytes = maxBytes;
        this.throttle = throttle;
    }

    static TransferMeter unbounded() {
        return new TransferMeter(0, new Throttle(0));
    }

    int chunk(int preferred) {
        return throttle.chunk(preferred);
    }

    /** Fails at once when {@code planned} more bytes would pass {@code max-bytes}. */
    void plan(long planned) throws TooLarge {
        if (maxBytes > 0 && bytes.get() + planned > maxBytes) {
            throw new TooLarge(
                    "the run would transfer " + (bytes.get() + planned) + " bytes, more than max-bytes " + maxBytes);
        }
    }

    /** Records {@code n} bytes moved; fails past {@code max-bytes}, else waits for the rate. */
    void moved(int n) throws IOException {
        long total = bytes.addAndGet(n);
        if (maxBytes > 0 && total > maxBytes) {
            throw new TooLarge("the run transferred " + total + " bytes, more than max-bytes " + maxBytes);
        }
        throttle.acquire(n);
    }

    long bytes() {
        return bytes.get();
    }
}
