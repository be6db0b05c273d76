package dev.patrol.core.ratelimit;

/**
 * A token bucket that hands out reservations instead of blocking: a caller asks for one token at a time given by the
 * caller (nanoseconds of a monotonic clock, so tests drive it by hand) and learns how long it must wait before it may
 * use it. Tokens may go below zero: each reservation waits behind the earlier ones, so the rate holds however many
 * callers queue. A reservation that would wait longer than allowed takes nothing.
 *
 * <p>Thread-safe: every method is synchronized; none blocks.
 */
public final class TokenBucket {
    /** Resets closer than this are taken as the same window of the server's. */
    private static final long WINDOW_SLACK_NANOS = 2_000_000_000L;

    private final double nanosPerToken;
    private final int burst;
    private double tokens;
    private long updatedNanos;
    private long pausedUntilNanos = Long.MIN_VALUE;
    private long issued;
    private long quotaLeft;
    private long quotaUntilNanos = Long.MIN_VALUE;

    /** A full bucket at {@code nowNanos}. */
    public TokenBucket(Rate rate, int burst, long nowNanos) {
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1");
        }
        this.nanosPerToken = rate.nanosPerToken();
        this.burst = burst;
        this.tokens = burst;
        this.updatedNanos = nowNanos;
    }

    /**
     * Takes one token and returns how many nanoseconds from {@code nowNanos} the caller must wait before using it (0:
     * at once), or -1, taking nothing, when that wait would exceed {@code maxWaitNanos}.
     */
    public synchronized long reserve(long nowNanos, long maxWaitNanos) {
        refill(nowNanos);
        long pause = pausedUntilNanos > nowNanos ? pausedUntilNanos - nowNanos : 0; // no overflow at MIN_VALUE
        long wait = pause + (tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) * nanosPerToken));
        if (wait > maxWaitNanos) {
            return -1;
        }
        tokens -= 1;
        issued++;
        if (nowNanos < quotaUntilNanos && --quotaLeft <= 0) {
            // That was the last request the server still allows before its reset: the rest wait for the reset.
            pauseUntil(nowNanos, quotaUntilNanos);
        }
        return wait;
    }

    /** Tokens handed out so far; what {@link #quota} subtracts the requests sent since a response from. */
    public synchronized long issued() {
        return issued;
    }

    /**
     * The server said only {@code remaining} requests are left ({@code X-RateLimit-Remaining}) in its window, which
     * resets at {@code resetNanos} ({@link Long#MIN_VALUE} when it did not say). The tokens handed out since
     * {@code issuedBefore} (the requests sent after the one that was answered) have used some of those already. With a
     * reset, the bucket hands out at most what is left until then and pauses until the reset once that is spent;
     * without one, it only caps its tokens at what is left, so no burst goes past it and later requests go at the rate.
     */
    public synchronized void quota(long nowNanos, long remaining, long resetNanos, long issuedBefore) {
        refill(nowNanos);
        long left = remaining - Math.max(0, issued - issuedBefore);
        if (resetNanos > nowNanos) {
            if (left <= 0) {
                pauseUntil(nowNanos, resetNanos);
            } else if (nowNanos >= quotaUntilNanos || Math.abs(resetNanos - quotaUntilNanos) >= WINDOW_SLACK_NANOS) {
                quotaLeft = left;
                quotaUntilNanos = resetNanos;
            } else {
                // The same window (a reset in whole seconds moves with the clock): answers arrive out of order, so
                // the lowest count wins.
                quotaLeft = Math.min(quotaLeft, left);
            }
        } else {
            tokens = Math.min(tokens, Math.max(0, left));
        }
    }

    /**
     * Hands out nothing before {@code untilNanos} (the server said Retry-After) and empties the bucket, so that the
     * requests after the pause start at the steady rate rather than as a burst.
     */
    public synchronized void pauseUntil(long nowNanos, long untilNanos) {
        refill(nowNanos);
        if (untilNanos > pausedUntilNanos) {
            pausedUntilNanos = untilNanos;
        }
        tokens = Math.min(tokens, 0);
    }

    /** Tokens available at {@code nowNanos}; negative while reservations are queued. */
    public synchronized double tokens(long nowNanos) {
        refill(nowNanos);
        return nowNanos < pausedUntilNanos ? Math.min(tokens, 0) : tokens;
    }

    private void refill(long nowNanos) {
        // No tokens accrue during a pause: the server asked for silence, not for a burst afterwards.
        long from = Math.max(updatedNanos, Math.min(pausedUntilNanos, nowNanos));
        if (nowNanos > from) {
            tokens = Math.min(burst, tokens + (nowNanos - from) / nanosPerToken);
        }
        if (nowNanos > updatedNanos) {
            updatedNanos = nowNanos;
        }
    }
}
