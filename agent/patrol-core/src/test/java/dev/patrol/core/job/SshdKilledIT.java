package dev.patrol.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.Target;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A real sshd killed in the middle of a transfer: nothing partial is kept, and the next run succeeds. */
class SshdKilledIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "streams = {0}")
    @ValueSource(ints = {1, 2})
    void aKilledServerLeavesNoPartialFileAndTheNextRunSucceeds(int streams) throws Exception {
        Path remote = Files.createDirectories(dir.resolve("remote")).resolve("big.img");
        try (RandomAccessFile file = new RandomAccessFile(remote.toFile(), "rw")) {
            file.setLength(1L << 30); // sparse: cheap to make, long enough to read that the kill lands mid-transfer
        }
        Path destination = dir.resolve("backups");
        try (JobFleet fleet = new JobFleet(dir, 1)) {
            JobRunner runner = new JobRunner(fleet.pool, Clock.systemUTC());
            List<Target> targets = fleet.targets(1);
            JobSettings job = JobFleet.withTransfer(
                    JobFleet.fetch("image", targets, List.of(remote.toString()), destination, 1),
                    new JobSettings.Transfer(0, 0, false, streams));

            CompletableFuture<List<TargetOutcome>> first = CompletableFuture.supplyAsync(() -> run(runner, job));
            await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> partBytes(destination) > 1_000_000 || first.isDone());
            fleet.servers.get(0).kill();
            List<TargetOutcome> killed = first.get(120, TimeUnit.SECONDS);

            assertThat(killed).extracting(TargetOutcome::result).containsExactly(JobResult.FAILED);
            assertThat(JobFleet.regularFiles(destination)).isEmpty();
            assertThat(Retention.runs(destination.resolve("image").resolve("t00")))
                    .isEmpty();

            try (RandomAccessFile file = new RandomAccessFile(remote.toFile(), "rw")) {
                file.setLength(1 << 20);
            }
            fleet.servers.get(0).start();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> run(runner, job).get(0).result() == JobResult.OK);

            List<Path> runs = Retention.runs(destination.resolve("image").resolve("t00"));
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).resolve("big.img")).hasSize(1 << 20);
        }
    }

    private static List<TargetOutcome> run(JobRunner runner, JobSettings job) {
        try {
            return runner.run(job, job.targets(), (j, o) -> {});
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long partBytes(Path root) throws IOException {
        return JobFleet.regularFiles(root).stream()
                .filter(file -> file.getFileName().toString().endsWith(".part"))
                .mapToLong(file -> file.toFile().length())
                .sum();
    }
}
