package dev.patrol.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import dev.patrol.api.CommandResult;
import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import dev.patrol.api.Target;
import dev.patrol.testing.Closing;
import dev.patrol.testing.LoginUsers;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pool against the real OpenSSH server: commands, output, deadlines, channel limits, connection reuse. */
class SshSessionPoolIT {
    private static final Duration RUN = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    static OpenSshServer sshd;
    static Config global;
    static SshSessionPool pool;
    static SshMetrics metrics;
    static CollectorRegistry registry;
    static Target target;

    @BeforeAll
    static void start() {
        // PAM lets root's sshd log in a locked service account, the only non-root user with a shell on a CI image.
        boolean root = System.getProperty("user.name").equals("root");
        sshd = OpenSshServer.create(dir.resolve("sshd"))
                .maxSessions(10)
                .pam(root && LoginUsers.unprivileged().isPresent())
                .start();
        Path knownHosts = SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of(sshd.knownHostsLine(false)));
        metrics = new SshMetrics();
        registry = new CollectorRegistry();
        metrics.register(registry);
        global = SshTesting.ssh(SshTesting.client(sshd, knownHosts, Map.of("max-channels", 10)));
        pool = SshTesting.pool(global, metrics);
        target = SshTesting.target("sshd", sshd.host(), sshd.port());
    }

    @AfterAll
    static void stop() throws Exception {
        Closing.closeAll(pool, sshd);
    }

    static CommandResult exec(String command) {
        return exec(target, command, 64 * 1024);
    }

    static CommandResult exec(Target on, String command, int max) {
        return pool.exec(on, command, max, SshTesting.run(RUN))
                .toCompletableFuture()
                .orTimeout(30, TimeUnit.SECONDS)
                .join();
    }

    @ParameterizedTest(name = "exit {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void reportsExitStatus(int status) {
        CommandResult result = exec("echo out-" + status + "; echo err-" + status + " >&2; exit " + status);

        assertThat(result.exitStatus()).isEqualTo(status);
        assertThat(result.exitSignal()).isEmpty();
        assertThat(result.stdout()).isEqualTo("out-" + status + "\n");
        assertThat(result.stderr()).isEqualTo("err-" + status + "\n");
        assertThat(result.truncated()).isFalse();
    }

    @Test
    void reportsTheSignalThatEndedTheCommand() {
        CommandResult result = exec("kill -TERM $$");

        assertThat(result.exitSignal()).isEqualTo("TERM");
        assertThat(result.exitStatus()).isEqualTo(-1);
    }

    @Test
    void keepsOnlyTheCapAndReadsTheRest() {
        CommandResult result = exec(target, "head -c 200000 /dev/zero | tr '\\0' a; echo done >&2", 1000);

        assertThat(result.stdout()).hasSize(1000).matches("a+");
        assertThat(result.stderr()).isEqualTo("done\n");
        assertThat(result.truncated()).isTrue();
    }

    @Test
    void commandGetsNoInput() {
        assertThat(exec("cat; echo after-eof").stdout()).isEqualTo("after-eof\n");
    }

    @Test
    void deadlineKillsTheRemoteCommandAndFreesTheChannel() throws Exception {
        // OpenSSH honours the signal request only for a non-root login; root is answered "session signalling
        // requires privilege separation". So log in as another user when sshd runs as root and one exists.
        boolean root = sshd.user().equals("root");
        Optional<String> user = root ? LoginUsers.unprivileged() : Optional.of(sshd.user());
        Target on = user.map(name -> {
                    Target sleeper = SshTesting.target("sleeper", sshd.host(), sshd.port());
                    SshTesting.ownSettings(pool, global, sleeper, Map.of("user", name));
                    return sleeper;
                })
                .orElse(target);
        String marker = String.format("60.%06d", ThreadLocalRandom.current().nextInt(1_000_000));
        CompletableFuture<CommandResult> run = pool.exec(
                        on, "sleep " + marker + "; echo never", 1024, SshTesting.run(Duration.ofSeconds(2)))
                .toCompletableFuture();
        await().atMost(Duration.ofSeconds(10)).until(() -> remoteProcesses("sleep " + marker) > 0 || run.isDone());

        assertThat(failure(run).reason()).isEqualTo(Reason.TIMEOUT);
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(pool.channelsInUse()).isZero());
        if (user.isPresent()) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(remoteProcesses("sleep " + marker))
                    .isZero());
        } else {
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> sshd.log().contains("session signalling requires privilege separation"));
            killRemote("sleep " + marker);
        }
    }

    @Test
    void fiftyCommandsShareOneConnectionTenChannelsAtATime() {
        long loginsBefore = sshd.acceptedLogins();
        exec("true"); // the connection exists before the burst
        List<CompletableFuture<CommandResult>> runs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            runs.add(pool.exec(target, "sleep 0.2; echo " + i, 1024, SshTesting.run(Duration.ofSeconds(60)))
                    .toCompletableFuture());
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new))
                .orTimeout(60, TimeUnit.SECONDS)
                .join();

        for (int i = 0; i < 50; i++) {
            assertThat(runs.get(i).join().stdout()).isEqualTo(i + "\n");
        }
        // sshd runs with MaxSessions 10 and refuses an 11th channel, so all 50 passing proves the limit held.
        assertThat(sshd.acceptedLogins() - loginsBefore).isLessThanOrEqualTo(1);
        assertThat(pool.channelsInUse()).isZero();
    }

    @Test
    void sixtyCommandsUseAtMostTwoConnections() {
        long loginsBefore = sshd.acceptedLogins();
        for (int i = 0; i < 60; i++) {
            assertThat(exec("echo " + i).stdout()).isEqualTo(i + "\n");
        }
        assertThat(sshd.acceptedLogins() - loginsBefore).isLessThanOrEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ed25519", "ecdsa", "rsa"})
    void logsInWithEachKeyTypeAndPassphrase(String type) throws IOException {
        Path key = SshKeys.generate(dir.resolve("id_" + type), type, "pass phrase " + type);
        sshd.authorize(key);
        Path passphrase = java.nio.file.Files.setPosixFilePermissions(
                java.nio.file.Files.writeString(
                        dir.resolve("passphrase_" + type), "pass phrase " + type + "\n", StandardCharsets.UTF_8),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Target keyed = SshTesting.target("key-" + type, sshd.host(), sshd.port());
        SshTesting.ownSettings(
                pool, global, keyed, Map.of("identity-file", key, "identity-passphrase-file", passphrase));

        assertThat(exec(keyed, "echo " + type, 1024).stdout()).isEqualTo(type + "\n");
    }

    @Test
    void countsConnectsAndSessions() {
        exec("true");

        assertThat(registry.getSampleValue(
                        "patrol_ssh_connects_total", new String[] {"target", "result"}, new String[] {"sshd", "success"
                        }))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(registry.getSampleValue(
                        "patrol_ssh_connects_total", new String[] {"target", "result"}, new String[] {"sshd", "auth"}))
                .isZero();
        assertThat(registry.getSampleValue("patrol_ssh_sessions", new String[] {"state"}, new String[] {"idle"}))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(registry.getSampleValue("patrol_ssh_channel_open_seconds_count"))
                .isGreaterThanOrEqualTo(1.0);
    }

    /** Processes on this machine (sshd runs here) whose command line contains {@code text}. */
    static int remoteProcesses(String text) throws IOException, InterruptedException {
        Process pgrep = new ProcessBuilder("pgrep", "-f", "-c", text).start();
        if (!pgrep.waitFor(10, TimeUnit.SECONDS)) {
            pgrep.destroyForcibly();
            throw new IOException("pgrep hung");
        }
        String out = new String(pgrep.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        return out.isEmpty() ? 0 : Integer.parseInt(out);
    }

    /** Ends the processes this test's sshd left running, by their ids. */
    static void killRemote(String text) throws IOException, InterruptedException {
        Process pgrep = new ProcessBuilder("pgrep", "-f", text).start();
        pgrep.waitFor(10, TimeUnit.SECONDS);
        String out = new String(pgrep.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        out.lines().map(Long::parseLong).forEach(pid -> ProcessHandle.of(pid)
                .ifPresent(ProcessHandle::destroyForcibly));
    }

    static SshFailure failure(CompletableFuture<?> run) {
        try {
            run.orTimeout(30, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SshFailure failure) {
                return failure;
            }
            throw e;
        }
        throw new AssertionError("expected the command to fail");
    }
}
