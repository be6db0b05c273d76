package dev.patrol.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.Target;
import dev.patrol.transport.ssh.SshSessionPool;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large file read as byte ranges over several SFTP channels of one session ({@link RangedCopy}), against a real
 * OpenSSH sshd: it arrives intact whatever its size's remainder, each channel is an SFTP session of the server's, and
 * a file that grew or shrank after it was listed, or a local disk that is full, never leaves a file behind.
 */
class RangedFetchIT {
    /** Not a multiple of the range count or of the read size: the last range is the odd one. */
    private static final int SIZE = (int) RangedCopy.MIN_RANGED_BYTES + 12_345;

    @TempDir
    static Path dir;

    static JobFleet fleet;
    static Path remote;
    static String remoteSha256;

    @BeforeAll
    static void start() throws Exception {
        fleet = new JobFleet(dir, 1);
        remote = Files.createDirectories(dir.resolve("remote")).resolve("dump.bin");
        byte[] data = new byte[SIZE];
        new Random(11).nextBytes(data);
        Files.write(remote, data);
        remoteSha256 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void withTwoStreamsAJobReadsALargeFileOverTwoSftpChannelsAndKeepsItWithTheTargetsChecksum() throws Exception {
        Fetched fetched = fetch(fleet.pool, "two-streams", 2);

        assertThat(Files.readString(fetched.outcome().directory().resolve("manifest.json")))
                .contains(remoteSha256);
        // The listing's channel reads the first range; the second range gets a channel of its own.
        assertThat(fetched.sftpSessions()).isEqualTo(2);
    }

    @Test
    void rangesTakeOnlyTheChannelsThatMaxChannelsLeavesThem() throws Exception {
        Fetched fetched;
        try (SshSessionPool threeChannels = fleet.pool(Map.of("max-channels", 3))) {
            fetched = fetch(threeChannels, "capped", 3);
            // Every permit comes back, the extra channel's once the server has confirmed its close.
            await().atMost(Duration.ofSeconds(30)).until(() -> threeChannels.channelsInUse() == 0);
        }

        // streams = 3 asks for three SFTP channels; max-channels = 3 gives the job two, the listing's and one spare,
        // and leaves the third to its checksum's command (and the checks).
        assertThat(fetched.sftpSessions()).isEqualTo(2);
    }

    @Test
    void byDefaultTheSameFileIsReadOverOneChannel() throws Exception {
        assertThat(fetch(fleet.pool, "one-stream", JobSettings.Transfer.DEFAULT_STREAMS)
                        .sftpSessions())
                .isEqualTo(1);
    }

    private record Fetched(TargetOutcome outcome, long sftpSessions) {}

    /**
     * Runs the fetch of the test file with {@code streams} through {@code pool} into {@code folder}, checks that it
     * succeeded with the file intact, and counts the SFTP sessions sshd started meanwhile.
     */
    private static Fetched fetch(SshSessionPool pool, String folder, int streams) throws Exception {
        List<Target> targets = fleet.targets(1);
        long sftpSessionsBefore = logLines("subsystem 'sftp'");

        List<TargetOutcome> outcomes = new JobRunner(pool, Clock.systemUTC())
                .run(
                        JobFleet.withTransfer(
                                JobFleet.fetch("dump", targets, List.of(remote.toString()), dir.resolve(folder), 1),
                                new JobSettings.Transfer(0, 0, false, streams)),
                        targets,
                        (job, outcome) -> {});

        assertThat(outcomes).extracting(TargetOutcome::result).containsExactly(JobResult.OK);
        assertThat(Files.mismatch(outcomes.get(0).directory().resolve("dump.bin"), remote))
                .isEqualTo(-1L);
        return new Fetched(outcomes.get(0), logLines("subsystem 'sftp'") - sftpSessionsBefore);
    }

    @Test
    void aTimeoutCancelsARangedFetchClosesItsChannelsAndKeepsNothing() throws Exception {
        List<Target> targets = fleet.targets(1);
        Path destination = dir.resolve("cut");
        JobRunner runner = new JobRunner(fleet.pool, Clock.systemUTC());
        JobSettings base = JobFleet.fetch("dump", targets, List.of(remote.toString()), destination, 1);
        // At 1 MiB/s the file needs 32 s: far past the 2 s timeout on any machine.
        JobSettings slow = JobFleet.withTimeout(
                JobFleet.withTransfer(base, new JobSettings.Transfer(0, 1024 * 1024, false, 2)), Duration.ofSeconds(2));

        TargetOutcome cut = runner.run(slow, targets, (job, outcome) -> {}).get(0);

        assertThat(cut.result()).isEqualTo(JobResult.TIMEOUT);
        assertThat(cut.directory()).isNull();
        // Every channel the run opened on the server (two SFTP, the checksum's exec) is closed again.
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(logLines("Close session:")).isEqualTo(logLines("Starting session:")));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(JobFleet.regularFiles(destination))
                .isEmpty());

        TargetOutcome next = runner.run(base, targets, (job, outcome) -> {}).get(0);

        assertThat(next.result()).as(next.message()).isEqualTo(JobResult.OK);
        assertThat(Files.mismatch(next.directory().resolve("dump.bin"), remote)).isEqualTo(-1L);
    }

    @Test
    void threeRangesOfAnOddSizeArriveIntact() throws Exception {
        Path work = Files.createDirectories(dir.resolve("three"));

        FileDownload.Result result = download(work, 3, listed(SIZE));

        assertThat(result.problem()).isNull();
        assertThat(result.good()).isTrue();
        assertThat(result.sha256()).isEqualTo(remoteSha256);
        assertThat(Files.mismatch(work.resolve("dump.bin"), remote)).isEqualTo(-1L);
    }

    @Test
    void aFileThatGrewAfterItWasListedIsNotKept() throws Exception {
        Path grown = copyOfRemote("grown.bin");
        try (OutputStream out = Files.newOutputStream(grown, StandardOpenOption.APPEND)) {
            out.write(new byte[100]);
        }
        Path work = Files.createDirectories(dir.resolve("grown"));

        FileDownload.Result result = download(work, 2, listed(grown, SIZE));

        assertThat(result.good()).isFalse();
        assertThat(result.problem()).startsWith("size changed").contains(SIZE + 1 + " read");
        assertThat(names(work)).isEmpty();
    }

    @Test
    void aFileThatShrankIntoItsFirstRangeAfterItWasListedIsNotKept() throws Exception {
        Path shrunk = copyOfRemote("shrunk.bin");
        try (RandomAccessFile file = new RandomAccessFile(shrunk.toFile(), "rw")) {
            file.setLength(SIZE / 4);
        }
        Path work = Files.createDirectories(dir.resolve("shrunk"));

        FileDownload.Result result = download(work, 2, listed(shrunk, SIZE));

        assertThat(result.good()).isFalse();
        assertThat(result.problem()).startsWith("size changed").contains(SIZE / 4 + " read");
        assertThat(names(work)).isEmpty();
    }

    @Test
    void aFullLocalDiskFailsTheRangedCopyAsDiskFullAndLeavesNothing() throws Exception {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "/dev/full is writable");
        Path work = Files.createDirectories(dir.resolve("full-disk"));
        Files.createSymbolicLink(work.resolve(".dump.bin.part"), full);

        IOException failure = null;
        try {
            download(work, 2, listed(SIZE));
        } catch (java.util.concurrent.ExecutionException e) {
            failure = (IOException) e.getCause().getCause();
        }

        assertThat(failure).isNotNull();
        assertThat(JobResult.ofFailure(failure)).isEqualTo(JobResult.DISK_FULL);
        assertThat(names(work)).isEmpty();
    }

    /** Downloads {@code file} over {@code streams} fresh channels of one pooled session, checked as a job does. */
    private static FileDownload.Result download(Path work, int streams, RemoteFiles.RemoteFile file) throws Exception {
        Target target = fleet.targets(1).get(0);
        JobContext context = new JobContext("ranged", Instant.now().plusSeconds(120), ForkJoinPool.commonPool());
        RemoteShell shell = new RemoteShell(fleet.pool, target, context, Duration.ofMinutes(1));
        CompletableFuture<FileDownload.Result> done = fleet.pool.withSession(
                target,
                session -> CompletableFuture.supplyAsync(() -> {
                    List<SftpClient> channels = new ArrayList<>();
                    try {
                        for (int i = 0; i < streams; i++) {
                            channels.add(SftpClientFactory.instance().createSftpClient(session));
                        }
                        return FileDownload.download(
                                channels,
                                file,
                                SftpReadSize.of(channels.get(0)),
                                work,
                                shell::sha256Started,
                                TransferMeter.unbounded());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    } finally {
                        for (SftpClient channel : channels) {
                            try {
                                channel.close();
                            } catch (IOException ignored) {
                                // closed already by a failed copy
                            }
                        }
                    }
                }));
        return done.get(120, TimeUnit.SECONDS);
    }

    private static RemoteFiles.RemoteFile listed(long size) throws IOException {
        return listed(remote, size);
    }

    /** {@code path} as a listing that saw it at {@code size} bytes and its current mtime, in SFTP's whole seconds. */
    private static RemoteFiles.RemoteFile listed(Path path, long size) throws IOException {
        return new RemoteFiles.RemoteFile(
                path.toString(),
                "dump.bin",
                size,
                Files.getLastModifiedTime(path).to(TimeUnit.SECONDS) * 1000);
    }

    private static Path copyOfRemote(String name) throws IOException {
        return Files.copy(remote, remote.resolveSibling(name));
    }

    /** How many of sshd's log lines so far hold {@code marker}: one per channel opened or closed. */
    private static long logLines(String marker) {
        return fleet.servers
                .get(0)
                .log()
                .lines()
                .filter(line -> line.contains(marker))
                .count();
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
