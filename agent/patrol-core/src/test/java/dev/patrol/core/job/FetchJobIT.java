package dev.patrol.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.Target;
import dev.patrol.testing.TestPorts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetch jobs against several real OpenSSH servers (SFTP through internal-sftp), on loopback. */
class FetchJobIT {
    @TempDir
    static Path dir;

    static JobFleet fleet;
    static JobRunner runner;
    static Path source;

    @BeforeAll
    static void start() throws IOException {
        fleet = new JobFleet(dir, 5);
        runner = new JobRunner(fleet.pool, Clock.systemUTC());
        source = Files.createDirectories(dir.resolve("remote"));
        Random random = new Random(11);
        for (int i = 0; i < 3; i++) {
            byte[] data = new byte[300_000 + i * 250_000];
            random.nextBytes(data);
            Files.write(source.resolve("data-" + i + ".bin"), data);
        }
        Files.writeString(source.resolve("other.txt"), "not matched by the glob\n");
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void everyFileArrivesWithItsChecksumAndNoMoreThanSerialTargetsRunAtOnce() throws Exception {
        List<Target> targets = fleet.targets(10);
        Path destination = dir.resolve("fleet");
        JobSettings job = JobFleet.fetch("dump", targets, List.of(source + "/data-*.bin"), destination, 3);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();

        List<TargetOutcome> outcomes = runner.run(job, targets, new JobListener() {
            @Override
            public void started(JobSettings job, Target target) {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            }

            @Override
            public void finished(JobSettings job, TargetOutcome outcome) {
                if (outcome.result() != JobResult.NOT_RUN) {
                    inFlight.decrementAndGet();
                }
            }
        });

        assertThat(outcomes)
                .extracting(TargetOutcome::result)
                .containsOnly(JobResult.OK)
                .hasSize(10);
        assertThat(maxInFlight.get()).isBetween(1, 3);
        for (TargetOutcome outcome : outcomes) {
            assertThat(outcome.directory())
                    .startsWith(destination.resolve("dump").resolve(outcome.target()));
            assertThat(outcome.files()).isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                String name = "data-" + i + ".bin";
                assertThat(sha256(outcome.directory().resolve(name))).isEqualTo(sha256(source.resolve(name)));
                assertThat(Files.readString(outcome.directory().resolve(Manifest.FILE)))
                        .contains("\"name\": \"" + name + "\"")
                        .contains("\"sha256\": \"" + sha256(source.resolve(name)) + "\"");
            }
            try (Stream<Path> files = Files.list(outcome.directory())) {
                assertThat(files.map(file -> file.getFileName().toString()))
                        .containsExactlyInAnyOrder("data-0.bin", "data-1.bin", "data-2.bin", Manifest.FILE);
            }
        }
    }

    @Test
    void aFileAppendedToDuringTheDownloadIsNeverKept() throws Exception {
        Path growing = Files.createDirectories(dir.resolve("growing")).resolve("app.log");
        byte[] block = new byte[4096];
        new Random(3).nextBytes(block);
        try (OutputStream out = Files.newOutputStream(growing)) {
            for (int i = 0; i < 4096; i++) {
                out.write(block);
            }
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong appends = new AtomicLong();
        Thread appender = new Thread(() -> {
            long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            try (OutputStream out = Files.newOutputStream(growing, StandardOpenOption.APPEND)) {
                for (int i = 0; i < 10_000_000 && !stop.get() && System.nanoTime() < end; i++) {
                    out.write(block, 0, 16);
                    out.flush();
                    appends.incrementAndGet();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        appender.start();
        List<TargetOutcome> outcomes;
        Path destination = dir.resolve("growing-backups");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> appends.get() > 10);
            List<Target> targets = fleet.targets(1);
            outcomes = runner.run(
                    JobFleet.fetch("logs", targets, List.of(growing.toString()), destination, 1),
                    targets,
                    (job, outcome) -> {});
        } finally {
            stop.set(true);
            appender.join(Duration.ofSeconds(30).toMillis());
        }

        assertThat(outcomes).extracting(TargetOutcome::result).containsExactly(JobResult.CHANGED);
        assertThat(outcomes.get(0).directory()).isNull();
        try (Stream<Path> everything = Files.walk(destination)) {
            assertThat(everything.filter(Files::isRegularFile)).isEmpty();
        }
        assertThat(Retention.runs(destination.resolve("logs").resolve("t00"))).isEmpty();
    }

    @Test
    void retentionPrunesExactlyTheOldestRuns() throws Exception {
        List<Target> targets = fleet.targets(1);
        Path destination = dir.resolve("retention");
        JobSettings base = JobFleet.fetch("nightly", targets, List.of(source + "/data-0.bin"), destination, 1);
        JobSettings job = withKeep(base, new JobSettings.Keep(2, Duration.ofDays(30)));
        List<Path> made = new ArrayList<>();
        for (int run = 0; run < 4; run++) {
            TargetOutcome outcome = runner.run(job, targets, (j, o) -> {}).get(0);
            assertThat(outcome.result()).isEqualTo(JobResult.OK);
            made.add(outcome.directory());
        }

        assertThat(Retention.runs(destination.resolve("nightly").resolve("t00")))
                .containsExactly(made.get(2), made.get(3));
    }

    @Test
    void maxFailuresStopsTheRollout() throws Exception {
        int closed = TestPorts.free();
        List<Target> targets = new ArrayList<>(fleet.targets(10));
        targets.set(2, Target.of("t02", "127.0.0.1", closed));
        targets.set(3, Target.of("t03", "127.0.0.1", closed));
        JobSettings base = JobFleet.fetch("budget", targets, List.of(source + "/data-0.bin"), dir.resolve("budget"), 1);
        JobSettings job = withMaxFailures(base, new Limit(2, false));

        List<TargetOutcome> outcomes = runner.run(job, targets, (j, o) -> {});

        assertThat(outcomes)
                .extracting(TargetOutcome::result)
                .containsExactly(
                        JobResult.OK,
                        JobResult.OK,
                        JobResult.FAILED,
                        JobResult.FAILED,
                        JobResult.NOT_RUN,
                        JobResult.NOT_RUN,
                        JobResult.NOT_RUN,
                        JobResult.NOT_RUN,
                        JobResult.NOT_RUN,
                        JobResult.NOT_RUN);
        assertThat(Retention.runs(dir.resolve("budget").resolve("budget").resolve("t04")))
                .isEmpty();
    }

    @Test
    void aPathWithSpacesAndQuotesIsFetchedIntact() throws Exception {
        Path odd = Files.createDirectories(dir.resolve("my dir")).resolve("it's \"odd\" $HOME; x.txt");
        Files.writeString(odd, "content of an oddly named file\n");
        List<Target> targets = fleet.targets(2);

        List<TargetOutcome> outcomes = runner.run(
                JobFleet.fetch("odd", targets, List.of(odd.toString()), dir.resolve("odd"), 2), targets, (j, o) -> {});

        assertThat(outcomes).extracting(TargetOutcome::result).containsOnly(JobResult.OK);
        for (TargetOutcome outcome : outcomes) {
            assertThat(outcome.directory().resolve(odd.getFileName().toString()))
                    .hasContent("content of an oddly named file");
        }
    }

    @Test
    void aGlobMatchingNothingIsNoFiles() throws Exception {
        List<Target> targets = fleet.targets(1);

        List<TargetOutcome> outcomes = runner.run(
                JobFleet.fetch("none", targets, List.of(source + "/*.sql.gz"), dir.resolve("none"), 1),
                targets,
                (j, o) -> {});

        assertThat(outcomes).extracting(TargetOutcome::result).containsExactly(JobResult.NO_FILES);
        assertThat(Retention.runs(dir.resolve("none").resolve("none").resolve("t00")))
                .isEmpty();
    }

    @Test
    void aCommandJobSucceedsByItsOkExitCodes() throws Exception {
        List<Target> targets = fleet.targets(2);
        JobSettings base = JobFleet.fetch("cmd", targets, List.of(), dir, 2);
        JobSettings ok = withCommand(base, "exit 3", Set.of(0, 3));
        JobSettings failing = withCommand(base, "exit 4", Set.of(0, 3));

        assertThat(runner.run(ok, targets, (j, o) -> {}))
                .extracting(TargetOutcome::result, TargetOutcome::message)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(JobResult.OK, "exit 3"));
        assertThat(runner.run(failing, targets.subList(0, 1), (j, o) -> {}))
                .extracting(TargetOutcome::result, TargetOutcome::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(JobResult.FAILED, "exit 4"));
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
                base.noFiles());
        dev.patrol.core.metrics.JobCollector metrics = new dev.patrol.core.metrics.JobCollector(Clock.systemUTC());
        io.prometheus.client.CollectorRegistry registry = new io.prometheus.client.CollectorRegistry();
        registry.register(metrics);
        metrics.retain(java.util.Map.of(job.name(), job));

        try (JobScheduler scheduler = new JobScheduler(runner, metrics)) {
            scheduler.apply(java.util.Map.of(job.name(), job));
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

    static JobSettings withKeep(JobSettings job, JobSettings.Keep keep) {
        return new JobSettings(
                job.name(),
                job.type(),
                job.targets(),
                job.schedule(),
                job.timeZone(),
                job.serial(),
                job.maxFailures(),
                job.timeout(),
                job.command(),
                job.okExitCodes(),
                job.paths(),
                job.destination(),
                keep,
                job.noFiles());
    }

    static JobSettings withMaxFailures(JobSettings job, Limit maxFailures) {
        return new JobSettings(
                job.name(),
                job.type(),
                job.targets(),
                job.schedule(),
                job.timeZone(),
                job.serial(),
                maxFailures,
                job.timeout(),
                job.command(),
                job.okExitCodes(),
                job.paths(),
                job.destination(),
                job.keep(),
                job.noFiles());
    }

    static JobSettings withCommand(JobSettings job, String command, Set<Integer> codes) {
        return new JobSettings(
                job.name(),
                JobType.COMMAND,
                job.targets(),
                job.schedule(),
                job.timeZone(),
                job.serial(),
                job.maxFailures(),
                job.timeout(),
                command,
                codes,
                job.paths(),
                job.destination(),
                job.keep(),
                job.noFiles());
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
