package dev.patrol.core.job;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One target's part of a job run.
 *
 * @param target the target's name
 * @param result how it ended
 * @param message what happened, for the terminal and the log (never a label)
 * @param bytes bytes transferred, retries included
 * @param files files kept (fetch)
 * @param keptBytes bytes of the files kept (fetch)
 * @param directory the run's backup folder, or {@code null}
 * @param duration how long it took
 */
public record TargetOutcome(
        String target,
        JobResult result,
        String message,
        long bytes,
        int files,
        long keptBytes,
        Path directory,
        Duration duration) {

    static TargetOutcome notRun(String target) {
        return new TargetOutcome(
                target, JobResult.NOT_RUN, "not started: max-failures reached", 0, 0, 0, null, Duration.ZERO);
    }
}
