package dev.patrol.core.metrics;

import dev.patrol.core.job.BackupInventory;
import dev.patrol.core.job.JobListener;
import dev.patrol.core.job.JobResult;
import dev.patrol.core.job.JobSettings;
import dev.patrol.core.job.JobType;
import dev.patrol.core.job.TargetOutcome;
import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The job families, computed at scrape time from what each (job, target) last did:
 * {@code patrol_job_runs_total{job,target,result}} (every result pre-set to 0),
 * {@code patrol_job_last_success_timestamp_seconds}, {@code patrol_job_duration_seconds} (last run),
 * {@code patrol_job_bytes_transferred_total}, and for fetch jobs {@code patrol_backup_files} and
 * {@code patrol_backup_bytes} (what the newest good backup holds), and for scheduled jobs
 * {@code patrol_job_schedule_interval_seconds} (the longest gap between its coming fires, which a stale-backup alert
 * compares the last success with). Pairs no longer configured are dropped by {@link #retain}.
 *
 * <p>Thread-safe: runs report from job threads while Prometheus scrapes.
 */
public final class JobCollector extends Collector implements JobListener {
    private static final List<String> LABELS = List.of("job", "target");

    private record Key(String job, String target) {}

    /** One pair's state; guarded by itself. */
    private static final class Series {
        final Map<JobResult, Long> runs = new EnumMap<>(JobResult.class);
        final boolean fetch;
        double lastSuccess;
        double duration;
        long bytes;
        long backupFiles;
        long backupBytes;

        Series(boolean fetch) {
            this.fetch = fetch;
            for (JobResult result : JobResult.values()) {
                runs.put(result, 0L);
            }
        }
    }

    private final Clock clock;
    private final Map<Key, Series> series = new ConcurrentHashMap<>();
    private volatile Map<String, Double> intervals = Map.of();

    public JobCollector(Clock clock) {
        this.clock = clock;
    }

    /** Registers every (job, target) of {@code jobs} and forgets the others. */
    public void retain(Map<String, JobSettings> jobs) {
        Set<Key> wanted = new HashSet<>();
        jobs.values().forEach(job -> job.targets().forEach(target -> wanted.add(new Key(job.name(), target.name()))));
        series.keySet().retainAll(wanted);
        Map<String, Double> nextIntervals = new java.util.HashMap<>();
        jobs.values().forEach(job -> {
            double interval = ScheduleGaps.longest(job.schedule(), job.timeZone(), clock.instant());
            if (interval > 0) {
                nextIntervals.put(job.name(), interval);
            }
        });
        intervals = Map.copyOf(nextIntervals);
        for (JobSettings job : jobs.values()) {
            for (var target : job.targets()) {
                series.computeIfAbsent(new Key(job.name(), target.name()), key -> fromDisk(job, target.name()));
            }
        }
    }

    /** A pair seen for the first time: its last good backup, if one is on disk from before a restart. */
    private static Series fromDisk(JobSettings job, String target) {
        Series one = new Series(job.type() == JobType.FETCH);
        BackupInventory.newest(job, target).ifPresent(newest -> {
            one.lastSuccess = newest.time().toEpochMilli() / 1000.0;
            one.backupFiles = newest.files();
            one.backupBytes = newest.bytes();
        });
        return one;
    }

    @Override
    public void finished(JobSettings job, TargetOutcome outcome) {
        Series one = series.computeIfAbsent(
                new Key(job.name(), outcome.target()), k -> new Series(job.type() == JobType.FETCH));
        synchronized (one) {
            one.runs.merge(outcome.result(), 1L, Long::sum);
            if (outcome.result() == JobResult.NOT_RUN) {
                return;
            }
            one.duration = outcome.duration().toNanos() / 1e9;
            one.bytes += outcome.bytes();
            if (outcome.result().succeeded()) {
                one.lastSuccess = clock.millis() / 1000.0;
                one.backupFiles = outcome.files();
                one.backupBytes = outcome.keptBytes();
            }
        }
    }

    @Override
    public List<MetricFamilySamples> collect() {
        if (series.isEmpty()) {
            return List.of(); // no jobs: no empty families in /metrics (the golden exposition stays as it was)
        }
        CounterMetricFamily runs = new CounterMetricFamily(
                "patrol_job_runs_total", "Job runs per target by result.", List.of("job", "target", "result"));
        GaugeMetricFamily lastSuccess = new GaugeMetricFamily(
                "patrol_job_last_success_timestamp_seconds",
                "When the job last succeeded on the target (0: never since start).",
                LABELS);
        GaugeMetricFamily duration =
                new GaugeMetricFamily("patrol_job_duration_seconds", "Duration of the last run on the target.", LABELS);
        CounterMetricFamily bytes = new CounterMetricFamily(
                "patrol_job_bytes_transferred_total", "Bytes transferred by the job, retries included.", LABELS);
        GaugeMetricFamily interval = new GaugeMetricFamily(
                "patrol_job_schedule_interval_seconds",
                "Longest time between two of the job's coming scheduled runs; only for scheduled jobs.",
                LABELS);
        GaugeMetricFamily files =
                new GaugeMetricFamily("patrol_backup_files", "Files in the newest good backup.", LABELS);
        GaugeMetricFamily backupBytes =
                new GaugeMetricFamily("patrol_backup_bytes", "Bytes in the newest good backup.", LABELS);
        series.forEach((key, one) -> {
            List<String> labels = List.of(key.job(), key.target());
            synchronized (one) {
                one.runs.forEach(
                        (result, count) -> runs.addMetric(List.of(key.job(), key.target(), result.label()), count));
                lastSuccess.addMetric(labels, one.lastSuccess);
                duration.addMetric(labels, one.duration);
                bytes.addMetric(labels, one.bytes);
                Double gap = intervals.get(key.job());
                if (gap != null) {
                    interval.addMetric(labels, gap);
                }
                if (one.fetch) {
                    files.addMetric(labels, one.backupFiles);
                    backupBytes.addMetric(labels, one.backupBytes);
                }
            }
        });
        List<MetricFamilySamples> families = new ArrayList<>();
        families.add(runs);
        families.add(lastSuccess);
        families.add(duration);
        families.add(bytes);
        if (!interval.samples.isEmpty()) {
            families.add(interval);
        }
        if (!files.samples.isEmpty()) {
            families.add(files);
            families.add(backupBytes);
        }
        return families;
    }
}
