package dev.patrol.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.CommandResult;
import dev.patrol.api.Target;
import dev.patrol.testing.Closing;
import dev.patrol.testing.OpenSshServer;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SFTP channel (a fetch or push job, a log read) that the server refuses for now is asked again, as a command's
 * channel is, against a real OpenSSH sshd that allows one session while the pool allows two channels: while a command
 * holds the only session, the SFTP open is refused, counted in {@code patrol_ssh_channel_refusals_total}, and opens
 * once the command ends, instead of failing the job.
 */
class ChannelRefusalIT {
    private static final Duration RUN = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    OpenSshServer sshd;
    SshSessionPool pool;
    CollectorRegistry registry;
    Target target;
    ExecutorService threads;

    @BeforeEach
    void start() {
        sshd = OpenSshServer.create(dir.resolve("sshd")).maxSessions(1).start();
        SshMetrics metrics = new SshMetrics();
        registry = new CollectorRegistry();
        metrics.register(registry);
        pool = SshTesting.poolFor(sshd, dir, Map.of("max-channels", 2), metrics);
        target = SshTesting.target("sshd", sshd.host(), sshd.port());
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stop() throws Exception {
        threads.shutdownNow();
        Closing.closeAll(pool, sshd);
    }

    @Test
    void anSftpChannelRefusedWhileACommandHoldsTheOnlySessionOpensOnceTheCommandEnds() throws Exception {
        Path release = dir.resolve("release");
        CompletableFuture<CommandResult> held = holdTheOnlySession(release);

        CompletableFuture<Boolean> listed = pool.withSession(
                target,
                session -> CompletableFuture.supplyAsync(
                        () -> {
                            try (SftpClient sftp = pool.sftpChannels().open(session, () -> false)) {
                                return sftp.stat(dir.toString()).isDirectory();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        },
                        threads));

        // Refused at least once while the command runs, and still waiting rather than failed.
        await().atMost(Duration.ofSeconds(30)).until(() -> refusals() >= 1);
        assertThat(listed).isNotDone();
        Files.createFile(release);

        assertThat(held.get(30, TimeUnit.SECONDS).stdout()).isEqualTo("held\n");
        assertThat(listed.get(60, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anOpenToldToStopFailsWithTheServersRefusal() throws Exception {
        Path release = dir.resolve("release");
        CompletableFuture<CommandResult> held = holdTheOnlySession(release);

        CompletableFuture<ClientSession> session = pool.withSession(target, CompletableFuture::completedFuture);
        // withSession's stage completed at once, but the session stays open: the command holds the connection.
        ClientSession open = session.get(30, TimeUnit.SECONDS);
        double before = refusals();
        assertThatThrownBy(() -> pool.sftpChannels().open(open, () -> true))
                .isInstanceOf(IOException.class)
                .matches(RefusedOpens::isRefused, "is the server's refusal");
        assertThat(refusals()).isEqualTo(before); // not asked again, so not counted

        Files.createFile(release);
        assertThat(held.get(30, TimeUnit.SECONDS).stdout()).isEqualTo("held\n");
    }

    /** Starts a command that holds sshd's only session until {@code release} exists; returns once it runs. */
    private CompletableFuture<CommandResult> holdTheOnlySession(Path release) {
        Path running = dir.resolve("running");
        CompletableFuture<CommandResult> held = pool.exec(
                        target,
                        "touch '" + running + "'; while [ ! -e '" + release + "' ]; do sleep 0.1; done; echo held",
                        1024,
                        SshTesting.run(RUN))
                .toCompletableFuture();
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(running));
        return held;
    }

    private double refusals() {
        Double count = registry.getSampleValue("patrol_ssh_channel_refusals_total");
        return count == null ? 0 : count;
    }
}
