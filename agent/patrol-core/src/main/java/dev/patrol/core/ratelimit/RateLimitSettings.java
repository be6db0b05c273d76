package dev.patrol.core.ratelimit;

import java.time.Duration;
import java.util.Locale;

/**
 * One {@code patrol.rate-limits.<name>} block.
 *
 * @param name the block's key, the {@code limit} label
 * @param rate the steady rate tokens are added at
 * @param burst the most tokens the bucket holds (requests that may go at once after a quiet spell)
 * @param maxWait the longest a run waits for a token before it is skipped with {@code reason="rate_limit"}
 * @param per whether all checks naming the limit share one bucket, or each target has its own
 */
public record RateLimitSettings(String name, Rate rate, int burst, Duration maxWait, Per per) {
    /** What one bucket covers. */
    public enum Per {
        /** One bucket for every check and target that names the limit. */
        LIMIT,
        /** One bucket per target. */
        TARGET;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
