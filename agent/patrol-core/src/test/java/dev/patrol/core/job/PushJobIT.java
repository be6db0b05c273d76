package dev.patrol.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.Target;
import dev.patrol.core.metrics.JobCollector;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push jobs against real OpenSSH servers: atomic replace, mode and owner, skipped when the same, bounded by size, and
 * no temporary file left behind.
 */
class PushJobIT {
    @TempDir
    static Path dir;

    static JobFleet fleet;
    static JobRunner runner;

    @BeforeAll
    static void start() {
        fleet = new JobFleet(dir, 2);
        runner = new JobRunner(fleet.pool, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void aPushReplacesTheFileWithItsModeAndOwnerThenIsSkippedUntilTheSourceChanges() throws Exception {
        Path local = dir.resolve("app.conf");
        byte[] data = new byte[700_000];
        new Random(5).nextBytes(data);
        Files.write(local, data);
        Path remoteDir = Files.createDirectories(dir.resolve("target-a").resolve("etc app"));
        Path remote = remoteDir.resolve("app's.conf");
        Files.writeString(remote, "the old version\n");
        Files.setPosixFilePermissions(remote, PosixFilePermissions.fromString("rw-------"));
        // What a run cut off by its timeout leaves behind: removed by the next upload.
        Files.writeString(remoteDir.resolve(".app's.conf.patrol-0badf00d.part"), "half");
        List<Target> targets = fleet.targets(1);
        String owner = fleet.servers.get(0).user();
        JobSettings job = JobFleet.push("conf", targets, new JobSettings.Push(local, remote.toString(), 0640, owner));
        JobCollector metrics = new JobCollector(Clock.systemUTC());
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(metrics);
        metrics.retain(Map.of(job.name(), job));

        TargetOutcome first = runner.run(job, targets, metrics).get(0);

        assertThat(first.result()).as(first.message()).isEqualTo(JobResult.OK);
        assertThat(first.bytes()).isEqualTo(data.length);
        assertThat(Files.readAllBytes(remote)).isEqualTo(data);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(remote)))
                .isEqualTo("rw-r-----");
        assertThat(Files.getOwner(remote).getName()).isEqualTo(owner);
        assertThat(names(remoteDir)).containsExactly("app's.conf");

        Files.setLastModifiedTime(remote, FileTime.fromMillis(1_600_000_000_000L));
        TargetOutcome second = runner.run(job, targets, metrics).get(0);

        assertThat(second.result()).isEqualTo(JobResult.SKIPPED);
        assertThat(second.bytes()).isZero();
        assertThat(Files.getLastModifiedTime(remote).toMillis()).isEqualTo(1_600_000_000_000L);
        assertThat(count(registry, "ok")).isEqualTo(1);
        assertThat(count(registry, "skipped")).isEqualTo(1);

        Files.writeString(local, "the next version\n");
        TargetOutcome third = runner.run(job, targets, metrics).get(0);

        assertThat(third.result()).isEqualTo(JobResult.OK);
        assertThat(remote).hasContent("the next version");
        assertThat(count(registry, "ok")).isEqualTo(2);
        assertThat(names(remoteDir)).containsExactly("app's.conf");
    }

    @Test
    void aNewFileKeepsTheRemoteDefaultModeAndAModeChangeAloneIsPushed() throws Exception {
        Path local = Files.writeString(dir.resolve("motd"), "welcome\n");
        Path remoteDir = Files.createDirectories(dir.resolve("target-b"));
        Path remote = remoteDir.resolve("motd");
        List<Target> targets = fleet.targets(2).subList(1, 2);

        TargetOutcome created = runner.run(
                        JobFleet.push("motd", targets, new JobSettings.Push(local, remote.toString(), null, null)),
                        targets,
                        (job, outcome) -> {})
                .get(0);
        TargetOutcome modeOnly = runner.run(
                        JobFleet.push("motd", targets, new JobSettings.Push(local, remote.toString(), 0600, null)),
                        targets,
                        (job, outcome) -> {})
                .get(0);

        assertThat(created.result()).as(created.message()).isEqualTo(JobResult.OK);
        assertThat(modeOnly.result()).isEqualTo(JobResult.OK);
        assertThat(remote).hasContent("welcome");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(remote)))
                .isEqualTo("rw-------");
    }

    @Test
    void aMissingRemoteFolderOrAFileOverMaxBytesFailsAndLeavesNothing() throws Exception {
        Path local = Files.writeString(dir.resolve("big.txt"), "x".repeat(10_000));
        Path remoteDir = Files.createDirectories(dir.resolve("target-c"));
        List<Target> targets = fleet.targets(1);
        JobSettings missing = JobFleet.push(
                "missing",
                targets,
                new JobSettings.Push(local, remoteDir.resolve("no/such/file").toString(), null, null));
        JobSettings tooLarge = JobFleet.withTransfer(
                JobFleet.push(
                        "large",
                        targets,
                        new JobSettings.Push(local, remoteDir.resolve("big.txt").toString(), null, null)),
                new JobSettings.Transfer(5_000, 0, false));

        TargetOutcome noFolder =
                runner.run(missing, targets, (job, outcome) -> {}).get(0);
        TargetOutcome overBound =
                runner.run(tooLarge, targets, (job, outcome) -> {}).get(0);

        assertThat(noFolder.result()).isEqualTo(JobResult.FAILED);
        assertThat(overBound.result()).isEqualTo(JobResult.TOO_LARGE);
        assertThat(overBound.bytes()).isZero();
        assertThat(names(remoteDir)).isEmpty();
    }

    @Test
    void aPushCutOffByItsTimeoutLeavesTheOldFileAndTheNextRunCleansUp() throws Exception {
        Path local = dir.resolve("large.bin");
        byte[] data = new byte[1024 * 1024];
        new Random(9).nextBytes(data);
        Files.write(local, data);
        Path remoteDir = Files.createDirectories(dir.resolve("target-d"));
        Path remote = Files.writeString(remoteDir.resolve("large.bin"), "old\n");
        List<Target> targets = fleet.targets(1);
        JobSettings base = JobFleet.push("large", targets, new JobSettings.Push(local, remote.toString(), null, null));
        // At 64 KiB/s the upload needs 16 s: far past the 2 s timeout on any machine.
        JobSettings slow = JobFleet.withTimeout(
                JobFleet.withTransfer(base, new JobSettings.Transfer(0, 64 * 1024, false)), Duration.ofSeconds(2));

        TargetOutcome cut = runner.run(slow, targets, (job, outcome) -> {}).get(0);

        assertThat(cut.result()).isEqualTo(JobResult.TIMEOUT);
        assertThat(remote).hasContent("old");

        TargetOutcome next = runner.run(base, targets, (job, outcome) -> {}).get(0);

        assertThat(next.result()).as(next.message()).isEqualTo(JobResult.OK);
        assertThat(Files.readAllBytes(remote)).isEqualTo(data);
        assertThat(names(remoteDir)).containsExactly("large.bin");
    }

    @Test
    void aMissingLocalSourceFailsEveryTargetWithoutConnecting() throws Exception {
        List<Target> targets = fleet.targets(2);
        JobSettings job = JobFleet.push(
                "gone", targets, new JobSettings.Push(dir.resolve("no-such-file"), dir + "/x", null, null));

        List<TargetOutcome> outcomes = runner.run(job, targets, (j, o) -> {});

        assertThat(outcomes).extracting(TargetOutcome::result).containsOnly(JobResult.FAILED);
        assertThat(outcomes.get(0).message()).contains("cannot read the local file");
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static double count(CollectorRegistry registry, String result) {
        Double value = registry.getSampleValue(
                "patrol_job_runs_total", new String[] {"job", "target", "result"}, new String[] {"conf", "t00", result
                });
        return value == null ? -1 : value;
    }
}
