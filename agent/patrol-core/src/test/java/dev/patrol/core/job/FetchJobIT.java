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
        JobSettings job = JobFleet.withKeep(base, new JobSettings.Keep(2, Duration.ofDays(30)));
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
        JobSettings job = JobFleet.withMaxFailures(base, new Limit(2, false));

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
    void fileNamesWithABackslashOrANewlineMatchedByAGlobAreVerifiedAndKept() throws Exception {
        // sha256sum escapes such a name by starting its line with a backslash; the target's checksum must not care.
        Path folder = Files.createDirectories(dir.resolve("escapes"));
        Files.writeString(folder.resolve("back\\slash.log"), "a backslash in the name\n");
        Files.writeString(folder.resolve("new\nline.log"), "a newline in the name\n");

        List<TargetOutcome> outcomes = fetchOnOneTarget("escapes", folder + "/*.log", dir.resolve("escapes-out"));

        assertThat(outcomes).extracting(TargetOutcome::result).containsExactly(JobResult.OK);
        Path run = outcomes.get(0).directory();
        assertThat(run.resolve("back\\slash.log")).hasContent("a backslash in the name");
        assertThat(run.resolve("new\nline.log")).hasContent("a newline in the name");
    }

    @Test
    void aGlobMatchingNothingIsNoFiles() throws Exception {
        List<TargetOutcome> outcomes = fetchOnOneTarget("none", source + "/*.sql.gz", dir.resolve("none"));

        assertThat(outcomes).extracting(TargetOutcome::result).containsExactly(JobResult.NO_FILES);
        assertThat(Retention.runs(dir.resolve("none").resolve("none").resolve("t00")))
                .isEmpty();
    }

    private static List<TargetOutcome> fetchOnOneTarget(String job, String path, Path destination)
            throws InterruptedException {
        List<Target> targets = fleet.targets(1);
        return runner.run(JobFleet.fetch(job, targets, List.of(path), destination, 1), targets, (j, o) -> {});
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
