package dev.patrol.plugin.logtail;

import static dev.patrol.plugin.logtail.LogTailTestSupport.check;
import static dev.patrol.plugin.logtail.LogTailTestSupport.run;
import static dev.patrol.plugin.logtail.LogTailTestSupport.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.CheckResult;
import dev.patrol.api.FileListing;
import dev.patrol.api.Reason;
import dev.patrol.api.RemoteFile;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import dev.patrol.testing.Closing;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import dev.patrol.testing.TestCheckContext;
import dev.patrol.testing.transport.TestTransports;
import dev.patrol.transport.ssh.SshSessionPool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSH file access (stat over exec, SFTP reads) and the check over it, against a real OpenSSH sshd. */
class LogTailSshIT {
    @TempDir
    static Path dir;

    static OpenSshServer sshd;
    static SshSessionPool pool;
    static Target target;

    @BeforeAll
    static void start() {
        sshd = OpenSshServer.create(dir.resolve("sshd")).start();
        Path knownHosts = SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of(sshd.knownHostsLine(false)));
        pool = TestTransports.sshPool(sshd, knownHosts);
        target = Target.of("sshd", sshd.host(), sshd.port());
    }

    @AfterAll
    static void stop() throws Exception {
        Closing.closeAll(pool, sshd);
    }

    @AfterEach
    void forget() {
        LogTailTestSupport.forgetState();
    }

    private static TestCheckContext context() {
        return TestCheckContext.builder().timeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void statQuotesEverythingButTheGlobAndReadsOverSftp() throws Exception {
        Path weird = Files.createDirectories(dir.resolve("a dir; $(touch pwned) 'q' \"d\""));
        Path file = weird.resolve("x y.log");
        Files.writeString(file, "0123456789\n");
        Files.writeString(weird.resolve("x y.log.1"), "old\n");

        FileListing listing = pool.stat(target, List.of(weird + "/x*.log*"), 10, context())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        byte[] middle = pool.read(target, file.toString(), 2, 5, context())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        assertThat(listing.files()).extracting(RemoteFile::path).containsExactly(file.toString(), file + ".1");
        assertThat(listing.files().get(0).size()).isEqualTo(11);
        assertThat(listing.files().get(0).identity()).matches("\\d+:\\d+");
        assertThat(listing.files().get(0).identity())
                .isNotEqualTo(listing.files().get(1).identity());
        assertThat(new String(middle, StandardCharsets.UTF_8)).isEqualTo("23456");
        assertThat(Files.exists(Path.of("pwned"))).isFalse();
    }

    @Test
    void tailsOverSshWithRotationAndBadBytes() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("tail"));
        Path log = logs.resolve("app.log");
        Files.write(log, new byte[] {'a', (byte) 0xff, (byte) 0xc3, '\n'});
        LogTailCheck check = check("start-at = beginning, paths = [\"" + logs + "/*.log\"]");

        CheckResult first = run(check, target, dir.resolve("state"), pool);
        Files.writeString(log, "b\n", StandardOpenOption.APPEND);
        Files.move(log, logs.resolve("app.log.1"));
        Files.writeString(log, "c\n");
        run(check, target, dir.resolve("state"), pool);
        CheckResult last = run(check, target, dir.resolve("state"), pool);

        assertThat(first.status()).as(first.summary()).isEqualTo(Status.OK);
        Path spool = dir.resolve("state/spool/logs/sshd").resolve(Spool.nameFor(log.toString(), emptyPositions()));
        assertThat(Files.readAllBytes(spool))
                .isEqualTo(new byte[] {'a', (byte) 0xff, (byte) 0xc3, '\n', 'b', '\n', 'c', '\n'});
        assertThat(sample(last, "patrol_log_rotations_total", Map.of("path", logs + "/*.log")))
                .isEqualTo(1);
    }

    @Test
    void aGlobOverThousandsOfFilesIsCapped() throws Exception {
        Path many = Files.createDirectories(dir.resolve("many"));
        for (int i = 0; i < 10_000; i++) {
            Files.writeString(many.resolve("f" + i + ".log"), "x\n");
        }
        CheckResult result =
                run(check("max-files = 50, paths = [\"" + many + "/*.log\"]"), target, dir.resolve("s-many"), pool);

        assertThat(result.reason()).isEqualTo(Reason.TOO_MANY_FILES);
        assertThat(result.status()).isEqualTo(Status.WARNING);
    }

    private static Positions emptyPositions() throws Exception {
        return Positions.load(Files.createDirectories(dir.resolve("empty")));
    }

    @Test
    void aRunReadsEveryChunkOverOneSftpChannelAndARunCutByItsDeadlineLeavesNoneOpen() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("chunks"));
        Path log = numberedLines(logs.resolve("big.log"), 100_000); // 10 MB: three reads of 4 MiB
        long opened = sftpOpened();

        CheckResult result = run(
                check("start-at = beginning, max-read-per-run = 64MiB, paths = [\"" + log + "\"]"),
                target,
                dir.resolve("s-chunks"),
                pool);

        assertThat(result.status()).as(result.summary()).isEqualTo(Status.OK);
        assertThat(sample(result, "patrol_log_lines_total", Map.of("path", log.toString())))
                .isEqualTo(100_000);
        assertThat(sftpOpened() - opened).as("SFTP channels of the run").isEqualTo(1);

        Path large = numberedLines(logs.resolve("large.log"), 2_000_000); // 200 MB: seconds to read
        long before = sftpOpened();
        TestCheckContext cut = TestCheckContext.builder()
                .check("logs")
                .timeout(Duration.ofSeconds(60))
                .cancelAtDeadline(false)
                .stateDir(dir.resolve("s-cut"))
                .ssh(pool)
                .blockingThreads(2)
                .build();
        CheckResult cutShort;
        try (cut) {
            var running = check("start-at = beginning, max-read-per-run = 256MiB, paths = [\"" + large + "\"]")
                    .run(target, cut)
                    .toCompletableFuture();
            await().atMost(Duration.ofSeconds(60)).until(() -> sftpOpened() > before || running.isDone());
            cut.cancel(); // the deadline passes while the run reads
            cutShort = running.get(60, TimeUnit.SECONDS);
        }

        assertThat(cutShort.reason()).as(cutShort.summary()).isEqualTo(Reason.TIMEOUT);
        await().atMost(Duration.ofSeconds(30)).until(() -> channelsOpenOnServer() == 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.channelsInUse() == 0);
    }

    private static Path numberedLines(Path file, int count) throws Exception {
        try (var out = new java.io.BufferedWriter(Files.newBufferedWriter(file), 1 << 16)) {
            for (int i = 0; i < count; i++) {
                out.write(String.format("%09d 2026-12-01T00:00:00Z GET /api/v1/items %s%n", i, "x".repeat(50)));
            }
        }
        return file;
    }

    /** SFTP channels the server started (sshd logs each channel's start and close at VERBOSE). */
    private static long sftpOpened() {
        return count("Starting session: subsystem 'sftp'");
    }

    /** Channels (command or SFTP) the server started and has not closed: 0 when nothing leaks. */
    private static long channelsOpenOnServer() {
        return count("Starting session: ") - count("Close session: ");
    }

    private static long count(String text) {
        return sshd.log().lines().filter(line -> line.contains(text)).count();
    }
}
