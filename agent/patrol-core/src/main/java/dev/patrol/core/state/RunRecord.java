package dev.patrol.core.state;

import dev.patrol.api.CheckResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One finished run of a check against a target, as kept for metrics, the status page and {@code test-check}.
 *
 * @param outcome how the run ended (TIMEOUT and ERROR are distinct from the plugin's own statuses)
 * @param result the result; for TIMEOUT and ERROR one the engine made (UNKNOWN, reason timeout or plugin_error)
 * @param startedAt when the first attempt started
 * @param duration from the start of the first attempt to the end of the last
 * @param attempts 1 plus the retries used
 */
public record RunRecord(
        String check,
        String target,
        Outcome outcome,
        CheckResult result,
        Instant startedAt,
        Duration duration,
        int attempts) {

    /** This run without its output and samples, as the history keeps it; itself when it has neither. */
    public RunRecord summaryOnly() {
        if (result.output().isEmpty() && result.samples().isEmpty()) {
            return this;
        }
        CheckResult summary = new CheckResult(result.status(), result.reason(), result.summary(), "", List.of());
        return new RunRecord(check, target, outcome, summary, startedAt, duration, attempts);
    }
}
