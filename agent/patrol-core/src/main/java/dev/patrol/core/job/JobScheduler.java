package dev.patrol.core.job;

import dev.patrol.transport.DaemonThreads;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires jobs by their Quartz cron {@code schedule}, in their {@code time-zone}. A fire only hands the run to a thread
 * of its own and returns, as the check scheduler's fires do; a job whose previous run is still going is skipped
 * (logged), never run twice at once. {@link #apply} replaces every job's trigger on reload.
 *
 * <pre>{@code
 * JobScheduler scheduler = new JobScheduler(runner, listener);
 * scheduler.apply(settings.jobs());
 * scheduler.start();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class JobScheduler implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(JobScheduler.class);
    private static final String GROUP = "patrol-jobs";

    private final JobRunner runner;
    private final JobListener listener;
    private final Scheduler quartz;
    private final ExecutorService runs = Executors.newCachedThreadPool(DaemonThreads.named("patrol-job-run"));
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private volatile Map<String, JobSettings> jobs = Map.of();

    public JobScheduler(JobRunner runner, JobListener listener) {
        this.runner = runner;
        this.listener = listener;
        try {
            quartz = new StdSchedulerFactory(quartzProperties()).getScheduler();
            quartz.setJobFactory((bundle, scheduler) ->
                    context -> fire(context.getJobDetail().getKey().getName()));
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot create the Quartz scheduler for jobs", e);
        }
    }

    private static Properties quartzProperties() {
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", "patrol-jobs-" + UUID.randomUUID());
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        properties.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        properties.setProperty("org.quartz.threadPool.threadCount", "1");
        properties.setProperty("org.quartz.threadPool.threadNamePrefix", "patrol-job-fire");
        properties.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        return properties;
    }

    /** Schedules exactly the jobs that have a {@code schedule}; others are run only by hand. */
    public synchronized void apply(Map<String, JobSettings> next) {
        jobs = Map.copyOf(next);
        try {
            quartz.clear();
            for (JobSettings job : next.values()) {
                if (job.schedule() == null) {
                    continue;
                }
                quartz.scheduleJob(
                        JobBuilder.newJob(NoOp.class)
                                .withIdentity(job.name(), GROUP)
                                .build(),
                        TriggerBuilder.newTrigger()
                                .withIdentity(job.name(), GROUP)
                                .withSchedule(CronScheduleBuilder.cronSchedule(job.schedule())
                                        .inTimeZone(TimeZone.getTimeZone(job.timeZone()))
                                        .withMisfireHandlingInstructionDoNothing())
                                .build());
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot schedule jobs", e);
        }
    }

    public void start() {
        try {
            quartz.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot start the job scheduler", e);
        }
    }

    /** Whether {@code name} is a configured job. */
    public boolean has(String name) {
        return jobs.containsKey(name);
    }

    /** Starts a run of {@code name} now unless one is running; returns whether it started. */
    public boolean fire(String name) {
        JobSettings job = jobs.get(name);
        if (job == null || !running.add(name)) {
            logger.atInfo().addKeyValue("job", name).log("Job still running or gone, this fire is skipped");
            return false;
        }
        runs.execute(() -> {
            try {
                runner.run(job, job.targets(), listener);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                logger.atError().addKeyValue("job", name).setCause(e).log("Job run failed");
            } finally {
                running.remove(name);
            }
        });
        return true;
    }

    @Override
    public void close() {
        try {
            quartz.shutdown(false);
        } catch (SchedulerException e) {
            logger.atWarn().setCause(e).log("Stopping the job scheduler failed");
        }
        runs.shutdownNow();
    }

    /** Only a key for Quartz: the job factory above turns every fire into {@link #fire}. */
    public static final class NoOp implements org.quartz.Job {
        @Override
        public void execute(org.quartz.JobExecutionContext context) {}
    }

    static JobKey key(String name) {
        return JobKey.jobKey(name, GROUP);
    }
}
