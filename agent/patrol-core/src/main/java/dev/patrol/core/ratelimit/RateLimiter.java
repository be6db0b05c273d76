package dev.patrol.core.ratelimit;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The token buckets of every {@code patrol.rate-limits} block (one per limit, or one per limit and target), and the
 * pauses of checks that name no limit but were told Retry-After. Never blocks: {@link #reserve} says how long to wait
 * and the caller schedules its continuation on a timer.
 *
 * <p>Thread-safe. A reload keeps the buckets of limits whose settings did not change.
 */
public final class RateLimiter {
    private final LongSupplier nanoTime;
    private volatile Map<String, RateLimitSettings> limits = Map.of();
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, Long> pausedUntil = new ConcurrentHashMap<>();

    /** @param nanoTime a monotonic clock ({@code System::nanoTime}; tests pass their own) */
    public RateLimiter(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    public void update(Map<String, RateLimitSettings> newLimits) {
        Map<String, RateLimitSettings> old = limits;
        limits = Map.copyOf(newLimits);
        buckets.keySet().removeIf(key -> {
            String name = key.substring(0, key.indexOf('\n'));
            return !newLimits.containsKey(name) || !newLimits.get(name).equals(old.get(name));
        });
    }

    public Map<String, RateLimitSettings> limits() {
        return limits;
    }

    /**
     * Reserves a token of {@code limit} for a run against {@code target} that may wait at most {@code budget} (its
     * deadline) besides the limit's own {@code max-wait}.
     *
     * @return the wait before the run may start, or {@code null} when it would have to wait too long (or the limit is
     *     unknown after a reload), in which case nothing was taken
     */
    public Duration reserve(String limit, String target, Duration budget) {
        RateLimitSettings settings = limits.get(limit);
        if (settings == null) {
            return null;
        }
        Duration cap = settings.maxWait().compareTo(budget) < 0 ? settings.maxWait() : budget;
        long wait = bucket(settings, target).reserve(nanoTime.getAsLong(), cap.toNanos());
        return wait < 0 ? null : Duration.ofNanos(wait);
    }

    /** Pauses {@code limit}'s bucket for {@code target} (or the whole limit) for {@code pause}. */
    public void pauseLimit(String limit, String target, Duration pause) {
        RateLimitSettings settings = limits.get(limit);
        if (settings != null) {
            long now = nanoTime.getAsLong();
            bucket(settings, target).pauseUntil(now, now + pause.toNanos());
        }
    }

    /** Tokens {@code limit} has handed out for {@code target} so far (-1 when the limit is unknown). */
    public long issued(String limit, String target) {
        RateLimitSettings settings = limits.get(limit);
        return settings == null ? -1 : bucket(settings, target).issued();
    }

    /**
     * The server said {@code remaining} requests are left until {@code untilReset} from now (null when it did not say);
     * {@code issuedBefore} is {@link #issued} when the request it answered was sent. See {@link TokenBucket#quota}.
     */
    public void quota(String limit, String target, long remaining, Duration untilReset, long issuedBefore) {
        RateLimitSettings settings = limits.get(limit);
        if (settings != null) {
            long now = nanoTime.getAsLong();
            long reset = untilReset == null ? Long.MIN_VALUE : now + untilReset.toNanos();
            bucket(settings, target).quota(now, remaining, reset, issuedBefore);
        }
    }

    /** Pauses one check on one target, for checks that name no limit. */
    public void pauseCheck(String check, String target, Duration pause) {
        long until = nanoTime.getAsLong() + pause.toNanos();
        pausedUntil.merge(check + "\n" + target, until, Math::max);
    }

    /** How long {@code check} on {@code target} is still paused; zero when it is not. */
    public Duration checkPause(String check, String target) {
        Long until = pausedUntil.get(check + "\n" + target);
        if (until == null) {
            return Duration.ZERO;
        }
        long left = until - nanoTime.getAsLong();
        if (left <= 0) {
            pausedUntil.remove(check + "\n" + target, until);
            return Duration.ZERO;
        }
        return Duration.ofNanos(left);
    }

    /** Tokens left in {@code limit}: its one bucket, or the emptiest of its per-target buckets; null when unused. */
    public Double tokens(String limit) {
        long now = nanoTime.getAsLong();
        Double least = null;
        for (Map.Entry<String, TokenBucket> entry : buckets.entrySet()) {
            if (entry.getKey().startsWith(limit + "\n")) {
                double tokens = entry.getValue().tokens(now);
                least = least == null ? tokens : Math.min(least, tokens);
            }
        }
        return least;
    }

    private TokenBucket bucket(RateLimitSettings settings, String target) {
        String key = settings.name() + "\n" + (settings.per() == RateLimitSettings.Per.TARGET ? target : "");
        return buckets.computeIfAbsent(
                key, k -> new TokenBucket(settings.rate(), settings.burst(), nanoTime.getAsLong()));
    }
}
