package dev.patrol.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.CommandResult;
import dev.patrol.api.Target;
import dev.patrol.testing.Closing;
import dev.patrol.testing.OpenSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection's read buffer against the real OpenSSH server: small while checks run, large while a file streams in,
 * small again afterwards, and every byte of the stream intact across the changes of buffer.
 */
class AdaptiveReadIT {
    private static final Duration RUN = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static OpenSshServer sshd;
    static SshSessionPool pool;
    static Target target;

    @BeforeAll
    static void start() {
        sshd = OpenSshServer.create(dir.resolve("sshd")).start();
        pool = SshTesting.poolFor(sshd, dir, Map.of());
        target = SshTesting.target("sshd", sshd.host(), sshd.port());
    }

    @AfterAll
    static void stop() throws Exception {
        Closing.closeAll(pool, sshd);
    }

    @Test
    void theBufferGrowsForAStreamAndShrinksWhenOnlyChecksRunAgain() throws Exception {
        // Enough checks that a growth during the key exchange, if any, has been undone.
        runChecks(ReadBufferSizing.SMALL_READS_BEFORE_SHRINK + 4);
        AdaptiveReadIo.Connection connection = connection();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(connection.readCapacity())
                .isEqualTo(SshClients.IDLE_READ_BUFFER_BYTES));
        int growthsBefore = connection.growths();

        byte[] content = new byte[4 * 1024 * 1024 + 123];
        new Random(7).nextBytes(content);
        Path file = dir.resolve("stream.bin");
        Files.write(file, content);
        byte[] got = pool.read(target, file.toString(), 0, content.length, SshTesting.run(RUN))
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);

        assertThat(got).isEqualTo(content);
        assertThat(connection.growths()).isGreaterThan(growthsBefore);
        assertThat(connection()).isSameAs(connection);

        // Every check is a few small reads; after enough of them in a row the large buffer is given back.
        runChecks(ReadBufferSizing.SMALL_READS_BEFORE_SHRINK + 4);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(connection.readCapacity())
                .isEqualTo(SshClients.IDLE_READ_BUFFER_BYTES));
    }

    @Test
    void aLargeCommandOutputArrivesWhole() throws Exception {
        // 3 MB of output over an exec channel: reads that fill the buffer, a growth mid-stream, nothing lost.
        CommandResult result = pool.exec(target, "seq 1 400000", 8 * 1024 * 1024, SshTesting.run(RUN))
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);

        assertThat(result.exitStatus()).isZero();
        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 400_000; i++) {
            expected.append(i).append('\n');
        }
        assertThat(result.stdout()).isEqualTo(expected.toString());
    }

    private static void runChecks(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            CommandResult result = pool.exec(target, "echo OK", 1024, SshTesting.run(RUN))
                    .toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            assertThat(result.stdout()).isEqualTo("OK\n");
        }
    }

    private static AdaptiveReadIo.Connection connection() throws Exception {
        CompletableFuture<AdaptiveReadIo.Connection> found = pool.withSession(
                target,
                session -> CompletableFuture.completedFuture((AdaptiveReadIo.Connection) session.getIoSession()));
        return found.get(60, TimeUnit.SECONDS);
    }
}
