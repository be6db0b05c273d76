package dev.patrol.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.FileListing;
import dev.patrol.api.Target;
import dev.patrol.testing.Closing;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
        Path knownHosts = SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of(sshd.knownHostsLine(false)));
        pool = SshTesting.pool(
                SshTesting.ssh(SshTesting.client(sshd, knownHosts, Map.of("max-channels", 3))), new SshMetrics());
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
