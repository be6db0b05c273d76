package dev.patrol.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.CommandResult;
import dev.patrol.api.Target;
import dev.patrol.testing.Closing;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's SFTP channels count against {@code max-channels} beside the checks' commands ({@link
 * SshSessionPool#withChannel}), against a real OpenSSH sshd whose {@code MaxSessions} equals that limit (3): a command
 * queued behind a job waits for a permit instead of being refused by the server, a job's spare channels are taken
 * only while another stays free for its own commands, and a job that gives up waiting leaves every permit free.
 */
class JobChannelsIT {
    private static final Duration RUN = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    OpenSshServer sshd;
    SshSessionPool pool;
    CollectorRegistry registry;
    Target target;

    @BeforeEach
    void start() {
        sshd = OpenSshServer.create(dir.resolve("sshd")).maxSessions(3).start();
        SshMetrics metrics = new SshMetrics();
        registry = new CollectorRegistry();
        metrics.register(registry);
        pool = SshTesting.poolFor(sshd, dir, Map.of("max-channels", 3), metrics);
        target = SshTesting.target("sshd", sshd.host(), sshd.port());
    }

    @AfterEach
    void stop() throws Exception {
        Closing.closeAll(pool, sshd);
    }

    @Test
    void aCommandQueuedBehindAJobsTwoSftpChannelsAndACheckWaitsForOneAndIsNeverRefused() throws Exception {
        CompletableFuture<Void> opened = new CompletableFuture<>();
        CompletableFuture<Void> finish = new CompletableFuture<>();
        CompletableFuture<Boolean> lastOneLeft = pool.withChannel(
                target,
                new CompletableFuture<>(),
                (session, spare) -> CompletableFuture.supplyAsync(() -> {
                    try (SftpClient first = SftpClientFactory.instance().createSftpClient(session)) {
                        SpareChannels.Permit permit = spare.tryTake().orElseThrow();
                        try (SftpClient second = SftpClientFactory.instance().createSftpClient(session)) {
                            second.getClientChannel().addCloseFutureListener(closed -> permit.close());
                            boolean none = spare.tryTake().isEmpty(); // the third is left to commands
                            opened.complete(null);
                            finish.join();
                            return none;
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
        opened.get(30, TimeUnit.SECONDS);
        assertThat(pool.channelsInUse()).isEqualTo(2);
        Path release = dir.resolve("release");
        double opensBefore = channelOpens();
        CompletableFuture<CommandResult> check =
                pool.exec(target, holdUntil(release), 1024, SshTesting.run(RUN)).toCompletableFuture();
        await().atMost(Duration.ofSeconds(30)).until(() -> channelOpens() - opensBefore == 1.0);

        CompletableFuture<CommandResult> queued =
                pool.exec(target, "echo queued", 1024, SshTesting.run(RUN)).toCompletableFuture();

        // It waits for a permit and asks the server nothing: had it gone to the server while the job's two channels
        // and the first command were open, sshd (MaxSessions 3) would have refused it, and the pool asked again.
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(30))
                .until(() -> !queued.isDone() && channelOpens() - opensBefore == 1.0);
        Files.createFile(release);
        assertThat(check.get(30, TimeUnit.SECONDS).stdout()).isEqualTo("held\n");
        // (Once it has a permit, sshd may still refuse its first request until it has reaped the first command;
        // ConnectionRun retries that within the deadline, so only the result is asserted.)
        assertThat(queued.get(30, TimeUnit.SECONDS).stdout()).isEqualTo("queued\n");
        finish.complete(null);
        assertThat(lastOneLeft.get(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.channelsInUse() == 0);
    }

    @Test
    void aJobWaitsForAChannelWhileCommandsHoldThemAllAndTakesNoSpareWhileTheyRun() throws Exception {
        Path first = dir.resolve("first");
        Path others = dir.resolve("others");
        CompletableFuture<CommandResult> one =
                pool.exec(target, holdUntil(first), 1024, SshTesting.run(RUN)).toCompletableFuture();
        List<CompletableFuture<CommandResult>> rest = List.of(
                pool.exec(target, holdUntil(others), 1024, SshTesting.run(RUN)).toCompletableFuture(),
                pool.exec(target, holdUntil(others), 1024, SshTesting.run(RUN)).toCompletableFuture());
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.channelsInUse() == 3);

        CompletableFuture<Boolean> noSpare = pool.withChannel(
                target,
                new CompletableFuture<>(),
                (session, spare) ->
                        CompletableFuture.completedFuture(spare.tryTake().isEmpty()));

        assertThat(noSpare).isNotDone();
        Files.createFile(first);
        assertThat(one.get(30, TimeUnit.SECONDS).stdout()).isEqualTo("held\n");
        // The first command's permit went to the job; the two other commands still hold theirs.
        assertThat(noSpare.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(rest).noneMatch(CompletableFuture::isDone);
        Files.createFile(others);
        for (CompletableFuture<CommandResult> command : rest) {
            assertThat(command.get(30, TimeUnit.SECONDS).stdout()).isEqualTo("held\n");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.channelsInUse() == 0);
    }

    @Test
    void aJobThatGivesUpWaitingLeavesEveryPermitFree() throws Exception {
        Path release = dir.resolve("release");
        String hold = holdUntil(release);
        List<CompletableFuture<CommandResult>> holders = List.of(
                pool.exec(target, hold, 1024, SshTesting.run(RUN)).toCompletableFuture(),
                pool.exec(target, hold, 1024, SshTesting.run(RUN)).toCompletableFuture(),
                pool.exec(target, hold, 1024, SshTesting.run(RUN)).toCompletableFuture());
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.channelsInUse() == 3);
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        CompletableFuture<String> job =
                pool.withChannel(target, cancelled, (session, spare) -> CompletableFuture.completedFuture("ran"));

        cancelled.complete(null);

        assertThatThrownBy(() -> job.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(CancellationException.class);
        Files.createFile(release);
        for (CompletableFuture<CommandResult> holder : holders) {
            assertThat(holder.get(30, TimeUnit.SECONDS).stdout()).isEqualTo("held\n");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.channelsInUse() == 0);
        // Every permit is free again: a job gets its channel and a spare at once.
        assertThat(pool.withChannel(
                                target,
                                new CompletableFuture<>(),
                                (session, spare) -> CompletableFuture.completedFuture(spare.tryTake()
                                        .map(permit -> {
                                            permit.close();
                                            return true;
                                        })
                                        .orElse(false)))
                        .get(30, TimeUnit.SECONDS))
                .isTrue();
    }

    @Test
    void jobsOnOneHostLeaveAChannelForTheirOwnCommandsSoNoneWaitsForEver() throws Exception {
        // Three jobs at once on a host with three channels. Had each taken one for its SFTP channel, each would wait
        // for a fourth to run its checksum, held by the others: none would finish until its timeout. Jobs get one
        // slot fewer than channels, so the third waits for a slot and the free channel serves the commands.
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            CompletableFuture<Void> go = new CompletableFuture<>();
            AtomicInteger opened = new AtomicInteger();
            List<CompletableFuture<String>> jobs = IntStream.range(0, 3)
                    .mapToObj(i -> pool.withChannel(
                            target,
                            new CompletableFuture<>(),
                            (session, spare) -> CompletableFuture.supplyAsync(
                                    () -> {
                                        try (SftpClient sftp = openSftp(session)) {
                                            opened.incrementAndGet();
                                            go.join();
                                            // What a fetch does: its checksum runs while its SFTP channel is open.
                                            return pool.exec(target, "echo sum", 1024, SshTesting.run(RUN))
                                                    .toCompletableFuture()
                                                    .join()
                                                    .stdout();
                                        } catch (IOException e) {
                                            throw new UncheckedIOException(e);
                                        }
                                    },
                                    threads)))
                    .toList();

            await().atMost(Duration.ofSeconds(30)).until(() -> opened.get() == 2);
            await().during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> opened.get() == 2 && pool.channelsInUse() == 2);
            go.complete(null);

            for (CompletableFuture<String> job : jobs) {
                assertThat(job.get(60, TimeUnit.SECONDS)).isEqualTo("sum\n");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> pool.channelsInUse() == 0);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void withOneChannelPerConnectionAJobTakesNoPermitSoItsOwnCommandsCanRun() throws Exception {
        Path knownHosts = SshKeys.writeKnownHosts(dir.resolve("known_hosts_1"), List.of(sshd.knownHostsLine(false)));
        try (SshSessionPool single = SshTesting.pool(
                SshTesting.ssh(SshTesting.client(sshd, knownHosts, Map.of("max-channels", 1))), new SshMetrics())) {
            CompletableFuture<String> job = single.withChannel(target, new CompletableFuture<>(), (session, spare) -> {
                assertThat(spare.tryTake()).isEmpty();
                // What a fetch does: its checksum command runs while its SFTP channel is open.
                CompletionStage<CommandResult> checksum = single.exec(target, "echo sum", 1024, SshTesting.run(RUN));
                return checksum.thenApply(CommandResult::stdout);
            });

            assertThat(job.get(30, TimeUnit.SECONDS)).isEqualTo("sum\n");
        }
    }

    /**
     * An SFTP channel on {@code session} the way jobs open one: right after a channel closes, sshd (MaxSessions 3
     * here) still counts it until it has reaped its process, and the open is asked again.
     */
    private SftpClient openSftp(ClientSession session) throws IOException {
        return pool.sftpChannels().open(session, () -> false);
    }

    private double channelOpens() {
        Double count = registry.getSampleValue("patrol_ssh_channel_open_seconds_count");
        return count == null ? 0 : count;
    }

    /** A command that holds its channel until {@code file} exists. */
    private static String holdUntil(Path file) {
        return "while [ ! -e '" + file + "' ]; do sleep 0.1; done; echo held";
    }
}
