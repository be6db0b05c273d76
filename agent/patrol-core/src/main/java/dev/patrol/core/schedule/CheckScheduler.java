package dev.patrol.core.schedule;

import dev.patrol.core.config.SeriesDefinition;
import dev.patrol.core.engine.CheckEngine;
import dev.patrol.core.metrics.AgentMetrics;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.state.SeriesState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
 * {@link StartSpread}) or its {@code cron}. A reload keeps the trigger of a pair whose series is unchanged
 * ({@link SeriesDefinition#sameSeriesAs}), so its cadence does not jump, and replaces only what changed. A fire runs
 * what the {@link ResultStore} holds for the pair now, so it always runs the latest definition, and a pair the store
 * no longer holds does not run.
 *
 * <p>Thread-safe: {@link #apply} is synchronized and publishes an immutable map through a volatile field; fires read
 * only the store.
 */
public final class CheckScheduler implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(CheckScheduler.class);
    /**
     * Triggers fired per wake-up of Quartz's scheduler thread at most. Fires run on that thread
     * ({@link InlineThreadPool}), so the batch is not capped by idle workers; 2,000 checks a second with a
     * {@link #FIRE_AHEAD_MILLIS} window are at most this many per wake-up, the rest in the next one.
     */
    static final int BATCH_SIZE = 100;
    /**
     * Triggers due within this many milliseconds of the first one acquired fire with it in one batch, so up to this
     * early; lateness counts an early fire as on time (0). A tenth of the shortest interval (1 s unless
     * {@code allow-fast-checks}); large enough that even at 50 checks a second one wake-up fires several, and their
     * responses then wake the client's threads together. Against 10 ms, CPU per check fell by about a third at 50
     * checks/s and 40 % at 400/s (docs/BENCHMARKS.md, "HTTP after the JIT").
     */
    static final int FIRE_AHEAD_MILLIS = 100;

    private final Scheduler quartz;
    private final CheckEngine engine;
    private final ResultStore store;
    private final AgentMetrics metrics;
    private final Clock clock;
    /** What Quartz has a trigger for, by job; replaced whole by {@link #apply}. */
    private volatile Map<JobKey, SeriesDefinition> scheduled = Map.of();

    public CheckScheduler(CheckEngine engine, ResultStore store, AgentMetrics metrics, Clock clock) {
        this.engine = engine;
        this.store = store;
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
        properties.setProperty("org.quartz.scheduler.threadName", "patrol-scheduler");
        properties.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", String.valueOf(BATCH_SIZE));
        properties.setProperty(
                "org.quartz.scheduler.batchTriggerAcquisitionFireAheadTimeWindow", String.valueOf(FIRE_AHEAD_MILLIS));
        properties.setProperty("org.quartz.threadPool.class", InlineThreadPool.class.getName());
        properties.setProperty("org.quartz.threadPool.batchSize", String.valueOf(BATCH_SIZE));
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
     * Makes the schedule match {@code series}, the pairs the store holds after the same reload: unchanged pairs keep
     * their triggers, changed and new ones are (re)scheduled, removed ones are unscheduled. Runs in flight are not
     * touched.
     */
    public synchronized ScheduleChange apply(Collection<SeriesDefinition> series) {
        Instant now = clock.instant();
        Map<JobKey, SeriesDefinition> next = new HashMap<>();
        Map<JobDetail, Set<? extends Trigger>> toSchedule = new LinkedHashMap<>();
        for (SeriesDefinition pair : series) {
            JobKey key = jobKey(pair.check().name(), pair.target().name());
            next.put(key, pair);
            SeriesDefinition old = scheduled.get(key);
            if (old == null || !old.sameSeriesAs(pair)) {
                toSchedule.put(job(key), Set.of(trigger(key, pair, now)));
            }
        }
        List<JobKey> toDelete = new ArrayList<>();
        for (JobKey key : scheduled.keySet()) {
            if (!next.containsKey(key)) {
                toDelete.add(key);
            }
        }
        scheduled = Map.copyOf(next);
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
        ScheduleChange change = new ScheduleChange(next.size() - toSchedule.size(), toSchedule.size(), toDelete.size());
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
        store.get(new SeriesKey(key.getGroup(), key.getName()))
                .flatMap(SeriesState::definition)
                .ifPresent(pair -> engine.fire(pair.check(), pair.target()));
    }

    /**
     * Runs an interval check against one target every {@code every} from now on, e.g. its {@code soft-interval}
     * while its state is soft, until the next call or a reload that changes the pair's series. Cron checks keep their cron.
     */
    public void retime(String check, String target, Duration every) {
        JobKey key = jobKey(check, target);
        SeriesDefinition pair = scheduled.get(key);
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

    private static Trigger trigger(JobKey key, SeriesDefinition pair, Instant now) {
        String cron = pair.check().cron();
        TriggerBuilder<Trigger> builder = TriggerBuilder.newTrigger()
                .withIdentity(key.getName(), key.getGroup())
                .forJob(key);
        if (cron != null) {
            return builder.withSchedule(
                            CronScheduleBuilder.cronSchedule(cron).withMisfireHandlingInstructionDoNothing())
                    .startAt(Date.from(now))
                    .build();
        }
        Instant first = StartSpread.firstFire(new SeriesKey(key.getGroup(), key.getName()), pair.interval(), now);
        return builder.withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(pair.interval().toMillis())
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
