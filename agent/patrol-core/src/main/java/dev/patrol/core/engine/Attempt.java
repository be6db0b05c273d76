package dev.patrol.core.engine;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.core.state.Outcome;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

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

    /**
     * Failures that a retry within the same run cannot turn into a success, so they end the run at once: the agent's
     * credentials and the server's host key do not change in the seconds between attempts, and retrying a refused
     * login only adds failed-auth lines to the server's log (and can trip fail2ban). The next scheduled run tries
     * again. A run that ran out of time in the agent's own queues ({@link Reason#AGENT_BUSY}) is not retried either:
     * a retry would queue again behind the same work. Documented with {@code retries} in reference.conf and
     * docs/configuration.md.
     */
    static final Set<Reason> NOT_RETRIED =
            EnumSet.of(Reason.AUTH_FAILED, Reason.HOST_KEY_MISMATCH, Reason.HOST_KEY_UNKNOWN, Reason.AGENT_BUSY);

    /** Whether a retry may change this attempt's outcome: it failed, and not for a reason in {@link #NOT_RETRIED}. */
    boolean retryable() {
        return !result.status().isUp() && !NOT_RETRIED.contains(result.reason());
    }

    /** The target asked for a pause ({@code Retry-After}); with {@code skipRun} the run is recorded as a skip. */
    record Throttle(Duration pause, boolean skipRun) {}

    /** The target's own count of the requests it still allows, and when that count resets (null: not said). */
    record Remaining(long remaining, Duration untilReset) {}
}
