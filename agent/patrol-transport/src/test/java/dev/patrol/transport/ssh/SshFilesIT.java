package dev.patrol.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.FileListing;
import dev.patrol.api.RemoteFileReader;
import dev.patrol.api.SshFailure;
import dev.patrol.api.Target;
import dev.patrol.testing.Closing;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.TestCheckContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.kex.KexProposalOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File access over the pool against the real OpenSSH server: SFTP reads within the channel limit, always closed. */
class SshFilesIT {
    private static final Duration RUN = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    static OpenSshServer sshd;
    static SshSessionPool pool;
    static Target target;

    @BeforeAll
    static void start() {
        sshd = OpenSshServer.create(dir.resolve("sshd")).start();
        pool = SshTesting.poolFor(sshd, dir, Map.of("max-channels", 3));
        target = SshTesting.target("sshd", sshd.host(), sshd.port());
    }

    @AfterAll
    static void stop() throws Exception {
        Closing.closeAll(pool, sshd);
    }

    @Test
    void manyReadsAtOnceStayWithinTheChannelLimitAndCloseTheirChannels() throws Exception {
        Path file = dir.resolve("numbers.txt");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            text.append(i).append('\n');
        }
        Files.writeString(file, text);
        List<CompletableFuture<byte[]>> reads = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            reads.add(pool.read(target, file.toString(), i * 1000L, 300_000, SshTesting.run(RUN))
                    .toCompletableFuture());
        }

        for (int i = 0; i < reads.size(); i++) {
            String got = new String(reads.get(i).get(60, TimeUnit.SECONDS), StandardCharsets.UTF_8);
            assertThat(got).isEqualTo(text.substring(i * 1000, Math.min(text.length(), i * 1000 + 300_000)));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.channelsInUse() == 0);
        assertThat(pool.connectionCount()).isEqualTo(1);
    }

    @Test
    void aMissingFileIsNoSuchFileAndTheEndOfAFileIsEmpty() throws Exception {
        Path file = dir.resolve("short.txt");
        Files.writeString(file, "abc");

        byte[] pastEnd = pool.read(target, file.toString(), 10, 100, SshTesting.run(RUN))
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        FileListing none = pool.stat(target, List.of(dir + "/nothing-*"), 10, SshTesting.run(RUN))
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);

        assertThat(pastEnd).isEmpty();
        assertThat(none.files()).isEmpty();
        assertThatThrownBy(() -> pool.read(target, dir + "/missing", 0, 100, SshTesting.run(RUN))
                        .toCompletableFuture()
                        .get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> pool.read(target, dir.toString(), 0, 100, SshTesting.run(RUN))
                        .toCompletableFuture()
                        .get(60, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IOException.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.channelsInUse() == 0);
    }

    @Test
    void aReaderReadsEveryChunkAndFileOverOneChannelAndGivesItBack() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(big);
        Path first = Files.write(dir.resolve("big.bin"), big);
        Path second = Files.writeString(dir.resolve("small.txt"), "0123456789");
        long sftpBefore = sftpOpened();

        try (TestCheckContext context = SshTesting.run(RUN);
                RemoteFileReader reader =
                        pool.openReader(target, context).toCompletableFuture().get(60, TimeUnit.SECONDS)) {
            byte[] head = reader.read(first.toString(), 0, 2 * 1024 * 1024)
                    .toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            byte[] rest = reader.read(first.toString(), head.length, big.length)
                    .toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            byte[] small =
                    reader.read(second.toString(), 3, 100).toCompletableFuture().get(60, TimeUnit.SECONDS);

            assertThat(pool.channelsInUse()).isEqualTo(1);
            assertThat(head).isEqualTo(Arrays.copyOf(big, head.length));
            assertThat(rest).isEqualTo(Arrays.copyOfRange(big, head.length, big.length));
            assertThat(new String(small, StandardCharsets.UTF_8)).isEqualTo("3456789");
            assertThatThrownBy(() -> reader.read(dir + "/missing", 0, 10)
                            .toCompletableFuture()
                            .get(60, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(NoSuchFileException.class);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> pool.channelsInUse() == 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> channelsOpenOnServer() == 0);
        assertThat(sftpOpened() - sftpBefore).as("SFTP channels opened").isEqualTo(1);
    }

    @Test
    void theDeadlineClosesAReaderInTheMiddleOfARead() throws Exception {
        Path file = dir.resolve("large.bin");
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] block = new byte[1024 * 1024];
            for (int i = 0; i < 256; i++) {
                out.write(block);
            }
        }
        TestCheckContext context = TestCheckContext.builder()
                .check("ssh-test")
                .timeout(RUN)
                .cancelAtDeadline(false)
                .build();
        RemoteFileReader reader =
                pool.openReader(target, context).toCompletableFuture().get(60, TimeUnit.SECONDS);
        CompletableFuture<byte[]> read =
                reader.read(file.toString(), 0, 256 * 1024 * 1024).toCompletableFuture();

        context.cancel(); // what the engine does when the run's deadline passes

        assertThatThrownBy(() -> read.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(SshFailure.class);
        assertThatThrownBy(() -> reader.read(file.toString(), 0, 10)
                        .toCompletableFuture()
                        .get(60, TimeUnit.SECONDS))
                .hasCauseInstanceOf(SshFailure.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.channelsInUse() == 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> channelsOpenOnServer() == 0);
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

    @Test
    void transfersAreEncryptedWithAesGcmNotThePureJavaChaCha20() throws Exception {
        String[] negotiated = pool.withSession(
                        target,
                        session -> CompletableFuture.completedFuture(new String[] {
                            session.getNegotiatedKexParameter(KexProposalOption.S2CENC),
                            session.getNegotiatedKexParameter(KexProposalOption.C2SENC)
                        }))
                .get(60, TimeUnit.SECONDS);

        // OpenSSH's default server list holds all of Patrol's proposal, so the client's first choice wins.
        assertThat(negotiated).containsExactly("aes128-gcm@openssh.com", "aes128-gcm@openssh.com");
    }
}
