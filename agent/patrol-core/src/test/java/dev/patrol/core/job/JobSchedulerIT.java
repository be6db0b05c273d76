package dev.patrol.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.Target;
import dev.patrol.core.metrics.JobCollector;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command jobs, and jobs fired by their cron schedule with their metrics, against real OpenSSH servers. */
class JobSchedulerIT {
    @TempDir
    static Path dir;

    static JobFleet fleet;
    static JobRunner runner;
    static Path source;

    @BeforeAll
    static void start() throws IOException {
        fleet = new JobFleet(dir, 2);
        runner = new JobRunner(fleet.pool, Clock.systemUTC());
        source = Files.createDirectories(dir.resolve("remote"));
        Files.writeString(source.resolve("data-0.bin"), "a small backup\n".repeat(1000));
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void aScheduledJobFiresByItsCronExpression() throws Exception {
        List<Target> targets = fleet.targets(2);
        JobSettings base =
                JobFleet.fetch("every-second", targets, List.of(source + "/data-0.bin"), dir.resolve("cron"), 2);
        JobSettings job = new JobSettings(
                base.name(),
                base.type(),
                base.targets(),
                "* * * * * ?",
                base.timeZone(),
                base.serial(),
                base.maxFailures(),
                base.timeout(),
                null,
                base.okExitCodes(),
                base.paths(),
                base.destination(),
                base.keep(),
                base.noFiles(),
                base.transfer(),
                base.push());
        JobCollector metrics = new JobCollector(Clock.systemUTC());
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(metrics);
        metrics.retain(Map.of(job.name(), job));

        try (JobScheduler scheduler = new JobScheduler(runner, metrics)) {
            scheduler.apply(Map.of(job.name(), job));
            scheduler.start();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(registry.getSampleValue(
                            "patrol_job_runs_total",
                            new String[] {"job", "target", "result"},
                            new String[] {"every-second", "t01", "ok"}))
                    .isGreaterThanOrEqualTo(1));
        }

        assertThat(registry.getSampleValue(
                        "patrol_backup_files", new String[] {"job", "target"}, new String[] {"every-second", "t01"}))
                .isEqualTo(1);
        assertThat(registry.getSampleValue(
                        "patrol_backup_bytes", new String[] {"job", "target"}, new String[] {"every-second", "t01"}))
                .isEqualTo((double) Files.size(source.resolve("data-0.bin")));
        assertThat(registry.getSampleValue(
                        "patrol_job_bytes_transferred_total",
                        new String[] {"job", "target"},
                        new String[] {"every-second", "t01"}))
                .isGreaterThanOrEqualTo((double) Files.size(source.resolve("data-0.bin")));
    }

    @Test
    void aCommandJobSucceedsByItsOkExitCodes() throws Exception {
        List<Target> targets = fleet.targets(2);
        JobSettings base = JobFleet.fetch("cmd", targets, List.of(), dir, 2);
        JobSettings ok = JobFleet.withCommand(base, "exit 3", Set.of(0, 3));
        JobSettings failing = JobFleet.withCommand(base, "exit 4", Set.of(0, 3));

        assertThat(runner.run(ok, targets, (j, o) -> {}))
                .extracting(TargetOutcome::result, TargetOutcome::message)
                .containsOnly(Tuple.tuple(JobResult.OK, "exit 3"));
        assertThat(runner.run(failing, targets.subList(0, 1), (j, o) -> {}))
                .extracting(TargetOutcome::result, TargetOutcome::message)
                .containsExactly(Tuple.tuple(JobResult.FAILED, "exit 4"));
    }

    @Test
    void afterARestartTheBackupSeriesComeFromTheNewestGoodRunOnDisk() throws Exception {
        List<Target> targets = fleet.targets(1);
        JobSettings job =
                JobFleet.fetch("restart", targets, List.of(source + "/data-0.bin"), dir.resolve("restart"), 1);
        TargetOutcome outcome = runner.run(job, targets, (j, o) -> {}).get(0);
        assertThat(outcome.result()).isEqualTo(JobResult.OK);

        JobCollector restarted = new JobCollector(Clock.systemUTC());
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(restarted);
        restarted.retain(Map.of(job.name(), job));

        String[] labels = {"job", "target"};
        String[] values = {"restart", "t00"};
        assertThat(registry.getSampleValue("patrol_backup_files", labels, values))
                .isEqualTo(1);
        assertThat(registry.getSampleValue("patrol_backup_bytes", labels, values))
                .isEqualTo((double) Files.size(source.resolve("data-0.bin")));
        assertThat(registry.getSampleValue("patrol_job_last_success_timestamp_seconds", labels, values))
                .isPositive();
    }
}
