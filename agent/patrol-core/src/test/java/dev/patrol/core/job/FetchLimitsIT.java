package dev.patrol.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patrol.api.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetch bounds against real OpenSSH servers: max-rate, max-bytes, symbolic links, and a local disk that is full. */
class FetchLimitsIT {
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
        byte[] data = new byte[400_000];
        new Random(7).nextBytes(data);
        Files.write(source.resolve("dump.bin"), data);
        Files.writeString(source.resolve("a.txt"), "a\n");
        Files.createSymbolicLink(source.resolve("latest.txt"), Path.of("a.txt"));
        Path outside = Files.writeString(
                Files.createDirectories(dir.resolve("outside")).resolve("secret"), "secret\n");
        Files.createSymbolicLink(source.resolve("secret.txt"), outside);
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void maxRateHoldsTheWholeJobToItsRate() throws Exception {
        List<Target> targets = fleet.targets(2);
        long rate = 256 * 1024;
        JobSettings job = JobFleet.withTransfer(
                JobFleet.fetch("paced", targets, List.of(source + "/dump.bin"), dir.resolve("paced"), 2),
                new JobSettings.Transfer(0, rate, false));

        long started = System.nanoTime();
        List<TargetOutcome> outcomes = runner.run(job, targets, (j, o) -> {});
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(outcomes).extracting(TargetOutcome::result).containsOnly(JobResult.OK);
        long bytes = outcomes.stream().mapToLong(TargetOutcome::bytes).sum();
        assertThat(bytes).isEqualTo(800_000);
        // A lower bound only: both targets share the rate, and only the first chunk (rate / 8) goes unpaced.
        assertThat(seconds).isGreaterThanOrEqualTo((bytes - rate / 8.0) / rate);
    }

    @Test
    void aRunOverMaxBytesIsTooLargeAndTransfersNothing() throws Exception {
        List<Target> targets = fleet.targets(1);
        Path destination = dir.resolve("bounded");
        JobSettings job = JobFleet.withTransfer(
                JobFleet.fetch("bounded", targets, List.of(source + "/dump.bin"), destination, 1),
                new JobSettings.Transfer(100_000, 0, false));

        TargetOutcome outcome = runner.run(job, targets, (j, o) -> {}).get(0);

        assertThat(outcome.result()).isEqualTo(JobResult.TOO_LARGE);
        assertThat(outcome.bytes()).isZero();
        assertThat(Retention.runs(destination.resolve("bounded").resolve("t00")))
                .isEmpty();
    }

    @Test
    void aSymlinkOutOfTheFolderIsFollowedOnlyWithFollowSymlinks() throws Exception {
        List<Target> targets = fleet.targets(1);
        JobSettings base = JobFleet.fetch("links", targets, List.of(source + "/*.txt"), dir.resolve("links"), 1);

        TargetOutcome kept = runner.run(base, targets, (j, o) -> {}).get(0);
        TargetOutcome followed = runner.run(
                        JobFleet.withTransfer(base, new JobSettings.Transfer(0, 0, true)), targets, (j, o) -> {})
                .get(0);
        TargetOutcome named = runner.run(
                        JobFleet.fetch("named", targets, List.of(source + "/secret.txt"), dir.resolve("named"), 1),
                        targets,
                        (j, o) -> {})
                .get(0);

        assertThat(kept.result()).isEqualTo(JobResult.OK);
        assertThat(names(kept.directory())).containsExactly("a.txt", "latest.txt", Manifest.FILE);
        assertThat(kept.directory().resolve("latest.txt")).hasContent("a");
        assertThat(followed.result()).isEqualTo(JobResult.OK);
        assertThat(names(followed.directory())).containsExactly("a.txt", "latest.txt", Manifest.FILE, "secret.txt");
        assertThat(followed.directory().resolve("secret.txt")).hasContent("secret");
        assertThat(named.result()).isEqualTo(JobResult.NO_FILES);
        assertThat(named.message()).contains("follow-symlinks").contains("secret.txt");
    }

    /**
     * A real ENOSPC without root: the download's temporary file is a link to {@code /dev/full}, where every write
     * fails with "No space left on device". A full destination disk cannot be made otherwise without mounting one.
     */
    @Test
    void aFullDiskFailsTheDownloadAsDiskFullAndRemovesThePartialFile() throws Exception {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "/dev/full is writable");
        Target target = fleet.targets(1).get(0);
        Path work = Files.createDirectories(dir.resolve("full-disk"));
        Files.createSymbolicLink(work.resolve(".dump.bin.part"), full);
        long size = Files.size(source.resolve("dump.bin"));
        RemoteFiles.RemoteFile file = new RemoteFiles.RemoteFile(
                source.resolve("dump.bin").toString(),
                "dump.bin",
                size,
                Files.getLastModifiedTime(source.resolve("dump.bin")).toMillis());

        CompletableFuture<Throwable> failure = fleet.pool.withSession(
                target,
                session -> CompletableFuture.supplyAsync(() -> {
                    try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                        FileDownload.download(
                                List.of(sftp),
                                file,
                                SftpReadSize.DEFAULT,
                                work,
                                path -> () -> "unused",
                                TransferMeter.unbounded());
                        return null;
                    } catch (IOException e) {
                        return e;
                    }
                }));

        Throwable e = failure.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(e).isNotNull();
        assertThat(JobResult.ofFailure(e)).isEqualTo(JobResult.DISK_FULL);
        assertThat(names(work)).isEmpty();
        assertThatThrownBy(() -> Files.readSymbolicLink(work.resolve(".dump.bin.part")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void openSshAnnouncesItsLimitsSoDownloadsReadTheLargestSizeAndStillArriveIntact() throws Exception {
        Target target = fleet.targets(1).get(0);
        Path work = Files.createDirectories(dir.resolve("large-reads"));
        Path remote = source.resolve("dump.bin"); // 400,000 bytes: one full read of 255 KiB and a short one
        JobContext context = new JobContext(
                "large-reads", java.time.Instant.now().plusSeconds(60), java.util.concurrent.ForkJoinPool.commonPool());
        RemoteShell shell = new RemoteShell(fleet.pool, target, context, java.time.Duration.ofMinutes(1));

        CompletableFuture<Object[]> done = fleet.pool.withSession(
                target,
                session -> CompletableFuture.supplyAsync(() -> {
                    try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                        // Listed over SFTP: its mtime has the protocol's whole seconds, as in a fetch job.
                        RemoteFiles.RemoteFile file = RemoteFiles.expand(sftp, remote.toString(), false, List.of())
                                .get(0);
                        int readSize = SftpReadSize.of(sftp);
                        return new Object[] {
                            readSize,
                            FileDownload.download(
                                    List.of(sftp),
                                    file,
                                    readSize,
                                    work,
                                    shell::sha256Started,
                                    TransferMeter.unbounded())
                        };
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));

        Object[] result = done.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(result[0]).isEqualTo(SftpReadSize.LARGEST); // OpenSSH 8.8 and later: 255 KiB
        FileDownload.Result download = (FileDownload.Result) result[1];
        assertThat(download.problem()).isNull();
        assertThat(download.good()).isTrue();
        assertThat(Files.readAllBytes(work.resolve("dump.bin"))).isEqualTo(Files.readAllBytes(remote));
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
