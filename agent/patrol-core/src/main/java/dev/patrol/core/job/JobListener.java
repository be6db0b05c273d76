package dev.patrol.core.job;

import dev.patrol.api.Target;

/** Told about a job run as it goes: the CLI prints a line per target, metrics count. Called from job threads. */
public interface JobListener {
    default void started(JobSettings job, Target target) {}

    void finished(JobSettings job, TargetOutcome outcome);

    /**
     * A fetch or push under way, about once a second while it transfers: {@code bytes} moved so far (retries
     * included) of {@code planned} (the listed sizes), since {@code elapsed} after the target started.
     */
    default void progress(JobSettings job, String target, long bytes, long planned, java.time.Duration elapsed) {}

    /** Several listeners as one. */
    static JobListener all(JobListener... listeners) {
        return new JobListener() {
            @Override
            public void started(JobSettings job, Target target) {
                for (JobListener listener : listeners) {
                    listener.started(job, target);
                }
            }

            @Override
            public void finished(JobSettings job, TargetOutcome outcome) {
                for (JobListener listener : listeners) {
                    listener.finished(job, outcome);
                }
            }

            @Override
            public void progress(JobSettings job, String target, long bytes, long planned, java.time.Duration elapsed) {
                for (JobListener listener : listeners) {
                    listener.progress(job, target, bytes, planned, elapsed);
                }
            }
        };
    }
}
