package dev.patrol.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private static final long MS100 = Duration.ofMillis(100).toNanos();
    private static final Rate TEN_PER_SECOND = Rate.parse("10/s").orElseThrow();

    @Test
    void aFullBucketGivesItsBurstAtOnceThenOneTokenPerInterval() {
        TokenBucket bucket = new TokenBucket(TEN_PER_SECOND, 3, 0);
        assertThat(bucket.reserve(0, 0)).isZero();
        assertThat(bucket.reserve(0, 0)).isZero();
        assertThat(bucket.reserve(0, 0)).isZero();
        assertThat(bucket.reserve(0, 0)).as("empty, and no wait allowed").isEqualTo(-1);
        assertThat(bucket.reserve(0, SECOND)).isEqualTo(MS100);
        assertThat(bucket.reserve(0, SECOND))
                .as("queued behind the first waiter")
                .isEqualTo(2 * MS100);
    }

    @Test
    void aRefusedReservationTakesNothing() {
        TokenBucket bucket = new TokenBucket(TEN_PER_SECOND, 1, 0);
        bucket.reserve(0, 0);
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.reserve(0, MS100 / 2)).isEqualTo(-1);
        }
        assertThat(bucket.reserve(0, SECOND)).isEqualTo(MS100);
    }

    @Test
    void tokensRefillAtTheRateUpToTheBurst() {
        TokenBucket bucket = new TokenBucket(TEN_PER_SECOND, 5, 0);
        for (int i = 0; i < 5; i++) {
            bucket.reserve(0, 0);
        }
        assertThat(bucket.tokens(0)).isZero();
        assertThat(bucket.tokens(2 * MS100)).isEqualTo(2.0);
        assertThat(bucket.tokens(100 * SECOND)).isEqualTo(5.0);
    }

    @Test
    void theRateHoldsOverAnyWindowWhateverTheCallers() {
        TokenBucket bucket = new TokenBucket(TEN_PER_SECOND, 10, 0);
        int granted = 0;
        // 60 callers every 100 ms for 10 s, none allowed to wait: at most burst + rate * time get through.
        for (long now = 0; now < 10 * SECOND; now += MS100) {
            for (int caller = 0; caller < 60; caller++) {
                if (bucket.reserve(now, 0) == 0) {
                    granted++;
                }
            }
        }
        assertThat(granted).isBetween(10 + 99 - 1, 10 + 100);
    }

    @Test
    void aPauseHoldsEveryTokenUntilItEndsAndLeavesNoBurst() {
        TokenBucket bucket = new TokenBucket(TEN_PER_SECOND, 10, 0);
        bucket.pauseUntil(0, 5 * SECOND);
        assertThat(bucket.reserve(SECOND, 3 * SECOND)).as("4 s of pause left").isEqualTo(-1);
        assertThat(bucket.reserve(SECOND, 10 * SECOND)).isEqualTo(4 * SECOND + MS100);
        assertThat(bucket.tokens(5 * SECOND))
                .as("no tokens accrued during the pause")
                .isEqualTo(-1.0);
        assertThat(bucket.tokens(5 * SECOND + 3 * MS100)).isEqualTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
    }
}
