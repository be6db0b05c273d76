package dev.patrol.core.schedule;

import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The Quartz job of one (check, target): it only hands the fire to the engine and returns, so a Quartz worker thread
 * is never held by a slow target. {@code @DisallowConcurrentExecution} would not help here because the run is
 * asynchronous; the engine's single-flight slot guards overlap instead.
 */
final class FireJob implements Job {
    private final CheckScheduler scheduler;

    FireJob(CheckScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void execute(JobExecutionContext context) {
        scheduler.fired(context.getJobDetail().getKey(), context.getScheduledFireTime());
    }
}
