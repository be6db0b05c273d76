package dev.patrol.core.job;

import dev.patrol.api.Target;

/** Told about a job run as it goes: the CLI prints a line per target, metrics count. Called from job threads. */
public interface JobListener {
    default void started(JobSettings job, Target target) {}

    void finished(JobSettings job, TargetOutcome outcome);

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
        };
    }
}
