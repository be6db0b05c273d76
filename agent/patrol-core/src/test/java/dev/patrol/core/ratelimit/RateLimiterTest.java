package dev.patrol.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final AtomicLong now = new AtomicLong();
    private final RateLimiter limiter = new RateLimiter(now::get);

    private static RateLimitSettings limit(String name, int burst, RateLimitSettings.Per per) {
        return new RateLimitSettings(name, Rate.parse("10/s").orElseThrow(), burst, Duration.ofSeconds(1), per);
    }

    @Test
    void aSharedLimitIsOneBucketForEveryTarget() {
        limiter.update(Map.of("api", limit("api", 1, RateLimitSettings.Per.LIMIT)));
        assertThat(limiter.reserve("api", "a", Duration.ZERO)).isZero();
        assertThat(limiter.reserve("api", "b", Duration.ZERO)).isNull();
        assertThat(limiter.reserve("api", "b", Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void perTargetGivesEachTargetItsOwnBucket() {
        limiter.update(Map.of("api", limit("api", 1, RateLimitSettings.Per.TARGET)));
        assertThat(limiter.reserve("api", "a", Duration.ZERO)).isZero();
        assertThat(limiter.reserve("api", "b", Duration.ZERO)).isZero();
        assertThat(limiter.reserve("api", "a", Duration.ZERO)).isNull();
    }

    @Test
    void theWaitIsCappedByMaxWaitAsWellAsTheBudget() {
        limiter.update(Map.of("api", limit("api", 1, RateLimitSettings.Per.LIMIT)));
        limiter.reserve("api", "a", Duration.ZERO);
        limiter.pauseLimit("api", "a", Duration.ofSeconds(2));
        assertThat(limiter.reserve("api", "a", Duration.ofMinutes(1)))
                .as("max-wait is 1 s")
                .isNull();
        now.addAndGet(Duration.ofMillis(1500).toNanos());
        assertThat(limiter.reserve("api", "a", Duration.ofMinutes(1))).isEqualTo(Duration.ofMillis(600));
    }

    @Test
    void aReloadKeepsTheBucketsOfUnchangedLimitsOnly() {
        limiter.update(Map.of(
                "a", limit("a", 1, RateLimitSettings.Per.LIMIT), "b", limit("b", 1, RateLimitSettings.Per.LIMIT)));
        limiter.reserve("a", "t", Duration.ZERO);
        limiter.reserve("b", "t", Duration.ZERO);
        limiter.update(Map.of(
                "a", limit("a", 1, RateLimitSettings.Per.LIMIT), "b", limit("b", 2, RateLimitSettings.Per.LIMIT)));
        assertThat(limiter.tokens("a")).isEqualTo(0.0);
        assertThat(limiter.tokens("b"))
                .as("changed: a new, full bucket on first use")
                .isNull();
        assertThat(limiter.reserve("gone", "t", Duration.ofSeconds(1))).isNull();
    }

    @Test
    void aCheckPauseEndsByItself() {
        limiter.pauseCheck("c", "t", Duration.ofSeconds(5));
        assertThat(limiter.checkPause("c", "t")).isEqualTo(Duration.ofSeconds(5));
        assertThat(limiter.checkPause("c", "other")).isZero();
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(limiter.checkPause("c", "t")).isZero();
    }
}
