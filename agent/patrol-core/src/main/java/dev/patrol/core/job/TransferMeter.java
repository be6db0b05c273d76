package dev.patrol.core.job;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts one target's transferred bytes (retries included), stops the run past {@code max-bytes}, paces it by the
 * job's shared {@link Throttle}, and reports progress about once a second. Thread-safe.
 */
final class TransferMeter {
    /** Thrown when a target's run passes {@code max-bytes}; the target's result is {@code too_large}. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    /** Told of the bytes moved so far, of those planned, and the time since the meter was made. */
    interface Progress {
        void report(long bytes, long planned, Duration elapsed);
    }

    private static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong planned = new AtomicLong();
    private final long maxBytes;
    private final Throttle throttle;
    private final Progress progress;
    private final long startedNanos = System.nanoTime();
    private final AtomicLong nextReportNanos = new AtomicLong(startedNanos + REPORT_NANOS);

    /** @param maxBytes the bound on this target's bytes, or 0 for none */
    TransferMeter(long maxBytes, Throttle throttle, Progress progress) {
        this.maxBytes = maxBytes;
        this.throttle = throttle;
        this.progress = progress;
    }

    static TransferMeter unbounded() {
        return new TransferMeter(0, new Throttle(0), (bytes, planned, elapsed) -> {});
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
        this.planned.addAndGet(planned);
    }

    /** Records {@code n} bytes moved; fails past {@code max-bytes}, else waits for the rate. */
    void moved(int n) throws IOException {
        long total = bytes.addAndGet(n);
        if (maxBytes > 0 && total > maxBytes) {
            throw new TooLarge("the run transferred " + total + " bytes, more than max-bytes " + maxBytes);
        }
        long now = System.nanoTime();
        long due = nextReportNanos.get();
        if (now - due >= 0 && nextReportNanos.compareAndSet(due, now + REPORT_NANOS)) {
            progress.report(total, planned.get(), Duration.ofNanos(now - startedNanos));
        }
        throttle.acquire(n);
    }

    long bytes() {
        return bytes.get();
    }
}
