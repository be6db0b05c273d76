package dev.patrol.core.schedule;

import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.engine.CheckEngine;
import dev.patrol.core.metrics.AgentMetrics;
import dev.patrol.core.state.SeriesKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires checks on Quartz: one job and trigger per (check, target), at the check's {@code interval} (phase spread by
 * {@link StartSpread}) or its {@code cron}. A reload keeps the triggers of unchanged checks, so their cadence does not
 * jump, and replaces only what changed.
 *
 * <p>Thread-safe: {@link #apply} is synchronized; fires read an immutable map published through a volatile field.
 */
public final class CheckScheduler implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(CheckScheduler.class);
    /** Quartz workers only hand fires to the engine, so a few are plenty even at thousands of fires a second. */
    private static final int WORKER_THREADS = 4;

    private final Scheduler quartz;
    private final CheckEngine engine;
    private final AgentMetrics metrics;
    private final Clock clock;
    private volatile Map<JobKey, Pair> pairs = Map.of();
    private Map<String, CheckSettings> checks = Map.of();

    private record Pair(CheckSettings check, Target target) {}

    public CheckScheduler(CheckEngine engine, AgentMetrics metrics, Clock clock) {
        this.engine = engine;
        this.metrics = metrics;
        this.clock = clock;
        try {
            quartz = new StdSchedulerFactory(quartzProperties()).getScheduler();
            quartz.setJobFactory((bundle, scheduler) -> new FireJob(this));
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot create the Quartz scheduler", e);
        }
    }

    private static Properties quartzProperties() {
        Properties properties = new Properties();
        // A unique name: Quartz keeps schedulers in a JVM-wide repository by name, and tests run several agents.
        properties.setProperty("org.quartz.scheduler.instanceName", "patrol-" + UUID.randomUUID());
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        properties.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", "100");
        properties.setProperty("org.quartz.scheduler.batchTriggerAcquisitionFireAheadTimeWindow", "1");
        properties.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        properties.setProperty("org.quartz.threadPool.threadCount", String.valueOf(WORKER_THREADS));
        properties.setProperty("org.quartz.threadPool.threadNamePrefix", "patrol-fire");
        properties.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        // A fire more than a second late is skipped rather than run in a burst (see the misfire instructions below).
        properties.setProperty("org.quartz.jobStore.misfireThreshold", "1000");
        return properties;
    }

    public void start() {
        try {
            quartz.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot start the Quartz scheduler", e);
        }
    }

    /**
     * Makes the schedule match {@code newChecks}: unchanged checks keep their triggers, changed and new ones are
     * (re)scheduled, removed ones are unscheduled. Runs in flight are not touched.
     */
    public synchronized ScheduleChange apply(Map<String, CheckSettings> newChecks) {
        Instant now = clock.instant();
        Map<JobKey, Pair> newPairs = new HashMap<>();
        Map<JobDetail, Set<? extends Trigger>> toSchedule = new LinkedHashMap<>();
        List<JobKey> toDelete = new ArrayList<>();
        for (CheckSettings check : newChecks.values()) {
            CheckSettings old = checks.get(check.name());
            boolean unchanged = old != null && old.sameAs(check);
            for (Target target : check.targets()) {
                JobKey key = jobKey(check.name(), target.name());
                newPairs.put(key, new Pair(check, target));
                if (!unchanged) {
                    toSchedule.put(job(key), Set.of(trigger(key, check, now)));
                }
            }
        }
        for (JobKey key : pairs.keySet()) {
            if (!newPairs.containsKey(key)) {
                toDelete.add(key);
            }
        }
        // Publish the new pairs before touching Quartz, so a fire of an unchanged check already runs the new
        // definition, and a fire of a removed one finds nothing to run.
        pairs = Map.copyOf(newPairs);
        checks = Map.copyOf(newChecks);
        try {
            if (!toDelete.isEmpty()) {
                quartz.deleteJobs(toDelete);
            }
            if (!toSchedule.isEmpty()) {
                quartz.scheduleJobs(toSchedule, true);
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot update the Quartz schedule", e);
        }
        ScheduleChange change =
                new ScheduleChange(newPairs.size() - toSchedule.size(), toSchedule.size(), toDelete.size());
        logger.atInfo()
                .addKeyValue("kept", change.kept())
                .addKeyValue("scheduled", change.scheduled())
                .addKeyValue("removed", change.removed())
                .log("Schedule updated");
        return change;
    }

    /** What {@link #apply} did, in (check, target) pairs. */
    public record ScheduleChange(int kept, int scheduled, int removed) {}

    void fired(JobKey key, Date scheduledFireTime) {
        long lateMillis = clock.millis() - scheduledFireTime.getTime();
        metrics.observeLateness(lateMillis / 1000.0);
        Pair pair = pairs.get(key);
        if (pair != null) {
            engine.fire(pair.check(), pair.target());
        }
    }

    /**
     * Runs an interval check against one target every {@code every} from now on, e.g. its {@code soft-interval}
     * while its state is soft, until the next call or a reload that changes the check. Cron checks keep their cron.
     */
    public void retime(String check, String target, Duration every) {
        JobKey key = jobKey(check, target);
        Pair pair = pairs.get(key);
        if (pair == null || pair.check().cron() != null) {
            return;
        }
        Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity(key.getName(), key.getGroup())
                .forJob(key)
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(every.toMillis())
                        .repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .startAt(Date.from(clock.instant().plus(every)))
                .build();
        try {
            quartz.rescheduleJob(trigger.getKey(), trigger);
        } catch (SchedulerException e) {
            logger.atWarn()
                    .setCause(e)
                    .addKeyValue("check", check)
                    .addKeyValue("target", target)
                    .log("Cannot change the run interval");
        }
    }

    private static JobKey jobKey(String check, String target) {
        return JobKey.jobKey(target, check);
    }

    private static JobDetail job(JobKey key) {
        return JobBuilder.newJob(FireJob.class).withIdentity(key).build();
    }

    private static Trigger trigger(JobKey key, CheckSettings check, Instant now) {
        TriggerBuilder<Trigger> builder = TriggerBuilder.newTrigger()
                .withIdentity(key.getName(), key.getGroup())
                .forJob(key);
        if (check.cron() != null) {
            return builder.withSchedule(
                            CronScheduleBuilder.cronSchedule(check.cron()).withMisfireHandlingInstructionDoNothing())
                    .startAt(Date.from(now))
                    .build();
        }
        Instant first = StartSpread.firstFire(new SeriesKey(key.getGroup(), key.getName()), check.interval(), now);
        return builder.withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(check.interval().toMillis())
                        .repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .startAt(Date.from(first))
                .build();
    }

    @Override
    public void close() {
        try {
            quartz.shutdown(false);
        } catch (SchedulerException e) {
            logger.atWarn().setCause(e).log("Quartz did not shut down cleanly");
        }
    }
}
