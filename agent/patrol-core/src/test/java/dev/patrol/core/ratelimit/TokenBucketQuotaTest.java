package dev.patrol.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What {@code X-RateLimit-Remaining} (with and without a reset) does to a bucket, on a clock driven by hand. */
class TokenBucketQuotaTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private static final long MS100 = Duration.ofMillis(100).toNanos();
    private static final long NO_RESET = Long.MIN_VALUE;
    private static final Rate TEN_PER_SECOND = Rate.parse("10/s").orElseThrow();

    @Test
    void withAResetTheBucketSpendsOnlyWhatIsLeftThenWaitsForTheReset() {
        TokenBucket bucket = new TokenBucket(TEN_PER_SECOND, 20, 0);
        long sent = bucket.issued();
        bucket.reserve(0, 0);
        // The answer to that request: 3 left, the window resets 30 s from now.
        bucket.quota(MS100, 3, MS100 + 30 * SECOND, sent + 1);
        assertThat(bucket.reserve(MS100, 0)).isZero();
        assertThat(bucket.reserve(MS100, 0)).isZero();
        assertThat(bucket.reserve(MS100, 0))
                .as("the third and last the server allows")
                .isZero();
        assertThat(bucket.reserve(MS100, 0))
                .as("20 tokens of burst, but the server's window is spent")
                .isEqualTo(-1);
        assertThat(bucket.reserve(MS100, 60 * SECOND))
                .as("the reset, then one token at the rate")
                .isEqualTo(30 * SECOND + MS100);
        assertThat(bucket.reserve(31 * SECOND, 0))
                .as("after the reset the bucket runs at its own rate again")
                .isZero();
    }

    @Test
    void requestsSentAfterTheAnsweredOneCountAgainstWhatIsLeft() {
        TokenBucket bucket = new TokenBucket(TEN_PER_SECOND, 20, 0);
        bucket.reserve(0, 0);
        long afterFirst = bucket.issued();
        for (int i = 0; i < 4; i++) {
            bucket.reserve(0, 0); // in flight while the first one is answered
        }
        bucket.quota(MS100, 5, 10 * SECOND, afterFirst);
        assertThat(bucket.reserve(MS100, 0)).as("5 left minus the 4 in flight").isZero();
        assertThat(bucket.reserve(MS100, 0)).isEqualTo(-1);
    }

    @Test
    void noneLeftPausesUntilTheResetLikeARetryAfter() {
        TokenBucket bucket = new TokenBucket(TEN_PER_SECOND, 20, 0);
        bucket.quota(0, 0, 5 * SECOND, bucket.issued());
        assertThat(bucket.tokens(SECOND)).isLessThanOrEqualTo(0);
        assertThat(bucket.reserve(SECOND, 10 * SECOND)).isEqualTo(4 * SECOND + MS100);
    }

    @Test
    void plentyLeftChangesNothing() {
        TokenBucket bucket = new TokenBucket(TEN_PER_SECOND, 5, 0);
        bucket.quota(0, 4000, 3600 * SECOND, bucket.issued());
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.reserve(0, 0)).isZero();
        }
        assertThat(bucket.reserve(0, SECOND)).isEqualTo(MS100);
    }

    @Test
    void aLaterAnswerInTheSameWindowCannotRaiseWhatIsLeft() {
        TokenBucket bucket = new TokenBucket(TEN_PER_SECOND, 20, 0);
        long issued = bucket.issued();
        bucket.quota(0, 2, 10 * SECOND, issued);
        // An answer that was overtaken: sent earlier, it still saw 9 left. The reset moved by the clock's second.
        bucket.quota(MS100, 9, 10 * SECOND + 500_000_000L, issued);
        assertThat(bucket.reserve(MS100, 0)).isZero();
        assertThat(bucket.reserve(MS100, 0)).isZero();
        assertThat(bucket.reserve(MS100, 0)).isEqualTo(-1);
    }

    @Test
    void aNewWindowReplacesASpentOne() {
        TokenBucket bucket = new TokenBucket(TEN_PER_SECOND, 20, 0);
        bucket.quota(0, 1, 2 * SECOND, bucket.issued());
        bucket.reserve(0, 0);
        bucket.quota(3 * SECOND, 10, 63 * SECOND, bucket.issued());
        assertThat(bucket.reserve(3 * SECOND, 0)).isZero();
        assertThat(bucket.reserve(3 * SECOND, 0)).isZero();
    }

    @Test
    void withoutAResetWhatIsLeftCapsTheTokensAndTheRateRefillsThem() {
        TokenBucket bucket = new TokenBucket(TEN_PER_SECOND, 20, 0);
        bucket.quota(0, 2, NO_RESET, bucket.issued());
        assertThat(bucket.tokens(0)).isEqualTo(2.0);
        bucket.quota(0, 0, NO_RESET, bucket.issued());
        assertThat(bucket.reserve(0, 0))
                .as("no burst past what the server allows")
                .isEqualTo(-1);
        assertThat(bucket.reserve(0, SECOND)).isEqualTo(MS100);
    }
}
