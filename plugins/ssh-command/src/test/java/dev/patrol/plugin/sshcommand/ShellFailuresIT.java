package dev.patrol.plugin.sshcommand;

import static dev.patrol.plugin.sshcommand.SshCommandTestSupport.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import dev.patrol.testing.Closing;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import dev.patrol.testing.TestCheckContext;
import dev.patrol.testing.transport.TestTransports;
import dev.patrol.transport.ssh.SshSessionPool;
import dev.patrol.transport.ssh.SshSettings;
import dev.patrol.transport.ssh.SshSettingsByTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What reaches the agent as command output although no check ran, and commands that outlive the agent's deadline,
 * against a real OpenSSH sshd on 127.0.0.1: a {@code nologin} account, a missing or non-executable command, and the
 * kill of a timed-out command for a non-root login (by OpenSSH's signal) and a root login (by {@code
 * command-timeout}). Accounts are created for the run when the tests run as root, as CI does.
 */
class ShellFailuresIT {
    private static final Duration RUN = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    static OpenSshServer sshd;
    static SshSessionPool pool;
    static LocalUsers users = new LocalUsers();
    static Path knownHosts;
    static SshSettings global;
    static final Map<String, SshSettings> byUser = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        sshd = OpenSshServer.create(dir.resolve("sshd")).start();
        knownHosts = SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of(sshd.knownHostsLine(false)));
        global = TestTransports.sshSettings(sshd, knownHosts, Map.of());
        pool = TestTransports.sshPool(global, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        Closing.closeAll(pool, sshd, users);
    }

    /** A target logging in as {@code user}: its own {@code ssh} block, resolved as a load would. */
    static Target as(String user) {
        Target target = Target.of("sshd-" + user, sshd.host(), sshd.port());
        byUser.put(target.name(), TestTransports.sshSettings(sshd, knownHosts, Map.of("user", user)));
        pool.update(new SshSettingsByTarget(global, byUser));
        return target;
    }

    static CheckResult run(String hocon, Target on, Duration timeout) throws Exception {
        SshCommandCheck check = (SshCommandCheck) new SshCommandPlugin().parse(block(hocon));
        return check.run(
                        on,
                        TestCheckContext.builder().timeout(timeout).ssh(pool).build())
                .toCompletableFuture()
                .get(timeout.toSeconds() + 30, TimeUnit.SECONDS);
    }

    static CheckResult run(String hocon) throws Exception {
        return run(hocon, as(sshd.user()), RUN);
    }

    @Test
    void aNologinAccountIsUnknownNotAWarning() throws Exception {
        Assumptions.assumeTrue(
                LocalUsers.canCreate(),
                "needs root to create an account whose shell is /usr/sbin/nologin (CI runs as root)");
        String user = users.create("/usr/sbin/nologin");

        CheckResult result = run("command = uptime", as(user), RUN);

        assertThat(result.status()).isEqualTo(Status.UNKNOWN);
        assertThat(result.status().isUp()).isFalse();
        assertThat(result.reason()).isEqualTo(Reason.LOGIN_REFUSED);
        assertThat(result.summary()).isEqualTo("exit status 1: This account is currently not available.");
    }

    @Test
    void aMissingCommandIsUnknownInEveryOutputMode() throws Exception {
        for (String output : new String[] {"nagios", "prometheus", "none"}) {
            CheckResult result =
                    run("output = " + output + ", command = \"/usr/lib/nagios/plugins/check_does_not_exist -w 1\"");

            assertThat(result.status()).as(output).isEqualTo(Status.UNKNOWN);
            assertThat(result.reason()).as(output).isEqualTo(Reason.COMMAND_NOT_FOUND);
            assertThat(result.summary())
                    .as(output)
                    .startsWith("exit status 127: ")
                    .contains("check_does_not_exist");
        }
        CheckResult unqualified = run("command = \"check_does_not_exist_either\"");
        assertThat(unqualified.reason()).isEqualTo(Reason.COMMAND_NOT_FOUND);
    }

    @Test
    void aCommandThatIsNotExecutableIsUnknown() throws Exception {
        CheckResult result = run("command = /etc/passwd");

        assertThat(result.status()).isEqualTo(Status.UNKNOWN);
        assertThat(result.reason()).isEqualTo(Reason.COMMAND_NOT_EXECUTABLE);
        assertThat(result.summary()).startsWith("exit status 126: ").contains("Permission denied");
    }

    @Test
    void aPluginsOwnWarningIsStillAWarning() throws Exception {
        CheckResult result = run("command = \"echo 'LOAD WARNING - load average: 9.10'; exit 1\"");

        assertThat(result.status()).isEqualTo(Status.WARNING);
        assertThat(result.reason()).isEqualTo(Reason.CHECK_FAILED);
    }

    @Test
    void aTimedOutCommandOfANonRootLoginEndsOnTheTarget() throws Exception {
        // OpenSSH signals the command only for a non-root login; sshd runs as root in CI, so log in as another user.
        String user = LocalUsers.canCreate() ? users.create("/bin/sh") : sshd.user();
        String marker = marker();

        CheckResult result = runUntilDeadline("command = \"sleep " + marker + "; echo never\"", as(user), marker);

        assertThat(result.reason()).isEqualTo(Reason.TIMEOUT);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(processes(marker)).isZero());
    }

    @Test
    void aTimedOutCommandOfARootLoginEndsOnTheTargetWithCommandTimeout() throws Exception {
        Assumptions.assumeTrue(LocalUsers.canCreate(), "sshd runs as root only when the tests do (CI runs as root)");
        String marker = marker();

        CheckResult result = runUntilDeadline(
                "command-timeout = auto, command = \"sleep " + marker + "; echo never\"", as("root"), marker);

        assertThat(result.reason()).isEqualTo(Reason.TIMEOUT);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(processes(marker)).isZero());
    }

    @Test
    void theTargetsTimeoutEndsTheCommandBeforeTheDeadline() throws Exception {
        String marker = marker();

        // The quotes check the wrapping: sh -c must see the command exactly as written.
        CheckResult result = run(
                "command-timeout = 2s, command = \"\"\"echo 'it''s quoted'; sleep " + marker + "\"\"\"",
                as(sshd.user()),
                RUN);

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(result.summary()).isEqualTo("stopped by command-timeout on the target (exit status 124)");
        assertThat(result.output()).doesNotContain("[stderr]");
        assertThat(processes(marker)).isZero();
    }

    /**
     * Runs {@code hocon} with a deadline of 8 s and checks that the command was seen running on the target before
     * the run ended, so that a kill, not a command that never started, is what a test sees afterwards.
     */
    static CheckResult runUntilDeadline(String hocon, Target on, String marker) throws Exception {
        SshCommandCheck check = (SshCommandCheck) new SshCommandPlugin().parse(block(hocon));
        CompletableFuture<CheckResult> run = check.run(
                        on,
                        TestCheckContext.builder()
                                .timeout(Duration.ofSeconds(8))
                                .ssh(pool)
                                .build())
                .toCompletableFuture();
        AtomicBoolean seen = new AtomicBoolean();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            seen.compareAndSet(false, processes(marker) > 0);
            return seen.get() || run.isDone();
        });
        assertThat(seen).as("the command ran on the target before the deadline").isTrue();
        return run.get(40, TimeUnit.SECONDS);
    }

    /** A sleep duration unique to one test, so that its processes can be found by their command line. */
    static String marker() {
        return String.format(Locale.ROOT, "60.%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    }

    /** Processes on this machine (sshd runs here) whose command line contains {@code text}. */
    static int processes(String text) throws IOException, InterruptedException {
        Process pgrep = new ProcessBuilder("pgrep", "-f", "-c", text).start();
        if (!pgrep.waitFor(10, TimeUnit.SECONDS)) {
            pgrep.destroyForcibly();
            throw new IOException("pgrep hung");
        }
        String out = new String(pgrep.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        return out.isEmpty() ? 0 : Integer.parseInt(out);
    }
}
