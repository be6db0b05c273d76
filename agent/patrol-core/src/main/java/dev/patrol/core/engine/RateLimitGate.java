package dev.patrol.core.engine;

import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.config.RateLimitKeys;
import dev.patrol.core.ratelimit.RateLimitMetrics;
import dev.patrol.core.ratelimit.RateLimitSettings;
import dev.patrol.core.ratelimit.RateLimiter;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.SeriesKey;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

/**
 * Where the engine meets {@code patrol.rate-limits}: tokens before a request, and what targets say back (Retry-After,
 * X-RateLimit-Remaining) turned into pauses of the check's limit or, without one, of the check on that target.
 *
 * <p>Thread-safe.
 */
final class RateLimitGate {
    private final RateLimiter limiter = new RateLimiter(System::nanoTime);
    private final RateLimitMetrics metrics = new RateLimitMetrics(limiter);
    private final ResultStore store;
    private final BiPredicate<Runnable, Duration> timer;
    /** The limit's count of tokens taken just after each pair's latest token; single-flight keeps one per pair. */
    private final Map<SeriesKey, Long> issuedAtReserve = new ConcurrentHashMap<>();

    /** @param timer runs a task after a delay, or says false when it is shut down */
    RateLimitGate(ResultStore store, BiPredicate<Runnable, Duration> timer) {
        this.store = store;
        this.timer = timer;
    }

    RateLimitMetrics metrics() {
        return metrics;
    }

    void update(Map<String, RateLimitSettings> limits) {
        limiter.update(limits);
        metrics.retainLimits(limits.keySet());
    }

    /** How long {@code check} on {@code target} is still paused by a Retry-After given to a check without a limit. */
    Duration checkPause(CheckSettings check, Target target) {
        return limiter.checkPause(check.name(), target.name());
    }

    /**
     * A token of the check's rate limit: the wait before it may be used (zero without a limit), or null when the wait
     * would pass the limit's max-wait or half the check's timeout, so that the request keeps at least half its time.
     */
    Duration reserve(CheckSettings check, Target target) {
        return reserve(check, target, check.timeout().dividedBy(2));
    }

    /**
     * A token for a further request within a run (the next page): true once it may go, false when none comes within
     * {@code budget}.
     */
    CompletableFuture<Boolean> permit(CheckSettings check, Target target, Duration budget) {
        Duration wait = reserve(check, target, budget);
        if (wait == null || wait.isZero()) {
            return CompletableFuture.completedFuture(wait != null);
        }
        CompletableFuture<Boolean> granted = new CompletableFuture<>();
        if (!timer.test(() -> granted.complete(true), wait)) {
            granted.complete(false); // shutting down
        }
        return granted;
    }

    private Duration reserve(CheckSettings check, Target target, Duration budget) {
        String limit = RateLimitKeys.limitOf(check);
        if (limit == null) {
            return Duration.ZERO;
        }
        Duration wait = limiter.reserve(limit, target.name(), budget);
        if (wait != null) {
            metrics.granted(limit, wait);
            // Read just after the token was taken: tokens taken from here on are requests the target has not seen
            // when it answers this one (one taken by another thread in between only makes the count cautious).
            issuedAtReserve.put(new SeriesKey(check.name(), target.name()), limiter.issued(limit, target.name()));
        }
        return wait;
    }

    /** The target said Retry-After: pause the check's limit, or without one this check on this target. */
    void throttled(CheckSettings check, Target target, Duration pause) {
        // A run in flight while a reload removed its pair must not bring the pair's series back.
        if (store.get(new SeriesKey(check.name(), target.name())).isPresent()) {
            metrics.throttled(check.name(), target.name());
        }
        if (!pause.isZero()) {
            pause(check, target, pause);
        }
    }

    /**
     * An attempt ended. When the target said how many requests it still allows ({@code remaining}, else null), the
     * check's limit spends no more than that before the reset, or without a limit, this check on this target waits for
     * the reset once none are left.
     *
     * <p>A run outside the schedule ({@code test-check}, an action's re-check) took no token, so it changes no limit.
     */
    void answered(CheckSettings check, Target target, Attempt.Remaining remaining) {
        Long issuedBefore = issuedAtReserve.remove(new SeriesKey(check.name(), target.name()));
        if (remaining == null) {
            return; // the answer said nothing about the target's budget (or there was none)
        }
        String limit = RateLimitKeys.limitOf(check);
        if (limit != null && limiter.limits().containsKey(limit)) {
            if (issuedBefore != null && issuedBefore >= 0) {
                limiter.quota(limit, target.name(), remaining.remaining(), remaining.untilReset(), issuedBefore);
            }
        } else if (remaining.remaining() == 0 && remaining.untilReset() != null) {
            limiter.pauseCheck(check.name(), target.name(), remaining.untilReset());
        }
    }

    private void pause(CheckSettings check, Target target, Duration pause) {
        String limit = RateLimitKeys.limitOf(check);
        if (limit != null && limiter.limits().containsKey(limit)) {
            limiter.pauseLimit(limit, target.name(), pause);
        } else {
            limiter.pauseCheck(check.name(), target.name(), pause);
        }
    }
}
