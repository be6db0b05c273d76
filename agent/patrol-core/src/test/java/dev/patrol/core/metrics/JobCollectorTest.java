package dev.patrol.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.Target;
import dev.patrol.core.job.JobResult;
import dev.patrol.core.job.JobSettings;
import dev.patrol.core.job.JobType;
import dev.patrol.core.job.Limit;
import dev.patrol.core.job.TargetOutcome;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobCollectorTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);

    private final CollectorRegistry registry = new CollectorRegistry();
    private final JobCollector collector = new JobCollector(CLOCK);

    private static JobSettings job(String name, JobType type, String... targets) {
        return new JobSettings(
                name,
                type,
                java.util.Arrays.stream(targets)
                        .map(t -> Target.of(t, "127.0.0.1", 22))
                        .toList(),
                null,
                ZoneOffset.UTC,
                new Limit(1, false),
                new Limit(1, false),
                Duration.ofMinutes(1),
                type == JobType.COMMAND ? "true" : null,
                Set.of(0),
                type == JobType.FETCH ? List.of("/var/db.gz") : List.of(),
                Path.of("/tmp"),
                new JobSettings.Keep(7, Duration.ofDays(30)),
                JobSettings.NoFiles.FAIL,
                JobSettings.Transfer.UNBOUNDED,
                null);
    }

    private double value(String name, String... labels) {
        String[] names = labels.length == 6 ? new String[] {"job", "target", "result"} : new String[] {"job", "target"};
        String[] values = new String[labels.length / 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = labels[i * 2 + 1];
        }
        Double value = registry.getSampleValue(name, names, values);
        return value == null ? Double.NaN : value;
    }

    @Test
    void everyResultIsPresetToZeroAndAGoodFetchSetsTheBackupSeries() {
        registry.register(collector);
        JobSettings dump = job("dump", JobType.FETCH, "db-1", "db-2");
        collector.retain(Map.of("dump", dump));

        assertThat(value("patrol_job_runs_total", "job", "dump", "target", "db-2", "result", "not_run"))
                .isZero();
        collector.finished(
                dump,
                new TargetOutcome(
                        "db-1", JobResult.OK, "2 files", 2048, 2, 2000, Path.of("/x"), Duration.ofSeconds(3)));
        collector.finished(
                dump, new TargetOutcome("db-2", JobResult.CHANGED, "x", 500, 0, 0, null, Duration.ofSeconds(1)));

        assertThat(value("patrol_job_runs_total", "job", "dump", "target", "db-1", "result", "ok"))
                .isEqualTo(1);
        assertThat(value("patrol_job_runs_total", "job", "dump", "target", "db-2", "result", "changed"))
                .isEqualTo(1);
        assertThat(value("patrol_job_last_success_timestamp_seconds", "job", "dump", "target", "db-1"))
                .isEqualTo(1_700_000_000);
        assertThat(value("patrol_job_last_success_timestamp_seconds", "job", "dump", "target", "db-2"))
                .isZero();
        assertThat(value("patrol_job_duration_seconds", "job", "dump", "target", "db-1"))
                .isEqualTo(3);
        assertThat(value("patrol_job_bytes_transferred_total", "job", "dump", "target", "db-2"))
                .isEqualTo(500);
        assertThat(value("patrol_backup_files", "job", "dump", "target", "db-1"))
                .isEqualTo(2);
        assertThat(value("patrol_backup_bytes", "job", "dump", "target", "db-1"))
                .isEqualTo(2000);
    }

    @Test
    void aJobRemovedOnReloadLosesItsSeries() {
        registry.register(collector);
        collector.retain(Map.of("clean", job("clean", JobType.COMMAND, "web-1")));
        assertThat(value("patrol_job_runs_total", "job", "clean", "target", "web-1", "result", "ok"))
                .isZero();
        assertThat(registry.getSampleValue(
                        "patrol_backup_files", new String[] {"job", "target"}, new String[] {"clean", "web-1"}))
                .isNull();

        collector.retain(Map.of());

        assertThat(registry.getSampleValue(
                        "patrol_job_runs_total",
                        new String[] {"job", "target", "result"},
                        new String[] {"clean", "web-1", "ok"}))
                .isNull();
    }

    @Test
    void aScheduledJobExposesItsLongestGapAndOneRunByHandDoesNot() {
        registry.register(collector);
        JobSettings byHand = job("clean", JobType.COMMAND, "web-1");
        JobSettings nightly = new JobSettings(
                "nightly",
                byHand.type(),
                byHand.targets(),
                "0 0 2 * * ?",
                byHand.timeZone(),
                byHand.serial(),
                byHand.maxFailures(),
                byHand.timeout(),
                byHand.command(),
                byHand.okExitCodes(),
                byHand.paths(),
                byHand.destination(),
                byHand.keep(),
                byHand.noFiles(),
                byHand.transfer(),
                null);

        collector.retain(Map.of("clean", byHand, "nightly", nightly));

        assertThat(value("patrol_job_schedule_interval_seconds", "job", "nightly", "target", "web-1"))
                .isEqualTo(86_400);
        assertThat(value("patrol_job_schedule_interval_seconds", "job", "clean", "target", "web-1"))
                .isNaN();
    }
}
