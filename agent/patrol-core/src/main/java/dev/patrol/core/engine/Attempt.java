package dev.patrol.core.engine;

import dev.patrol.api.CheckResult;
import dev.patrol.core.state.Outcome;
import java.time.Duration;

/**
 * The outcome of one attempt, before retries decide whether it is the run's.
 *
 * @param throttle what the plugin reported through {@code CheckContext.throttled}, or null
 * @param remaining what the plugin reported through {@code CheckContext.rateLimitRemaining}, or null
 */
record Attempt(Outcome outcome, CheckResult result, Throttle throttle, Remaining remaining) {
    Attempt(Outcome outcome, CheckResult result) {
        this(outcome, result, null, null);
    }

    /** The target asked for a pause ({@code Retry-After}); with {@code skipRun} the run is recorded as a skip. */
    record Throttle(Duration pause, boolean skipRun) {}

    /** The target's own count of the requests it still allows, and when that count resets (null: not said). */
    record Remaining(long remaining, Duration untilReset) {}
}
