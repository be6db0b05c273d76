package dev.patrol.plugin.sshcommand;

import static dev.patrol.plugin.sshcommand.SshCommandTestSupport.block;
import static dev.patrol.plugin.sshcommand.SshCommandTestSupport.sample;
import static dev.patrol.plugin.sshcommand.SshCommandTestSupport.samples;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import dev.patrol.testing.Closing;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import dev.patrol.testing.TestCheckContext;
import dev.patrol.testing.TestPeers;
import dev.patrol.testing.TestPorts;
import dev.patrol.testing.transport.TestTransports;
import dev.patrol.transport.ssh.SshSessionPool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The plugin through the core's real SSH session pool against a real OpenSSH sshd on 127.0.0.1, running real
 * monitoring-plugins (Debian monitoring-plugins-basic) and shell commands.
 */
class SshCommandIT {
    private static final String PLUGINS = "/usr/lib/nagios/plugins/";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

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

    static CheckResult run(String hocon) throws Exception {
        return run(hocon, target);
    }

    static CheckResult run(String hocon, Target on) throws Exception {
        SshCommandCheck check = (SshCommandCheck) new SshCommandPlugin().parse(block(hocon));
        return check.run(
                        on,
                        TestCheckContext.builder().timeout(TIMEOUT).ssh(pool).build())
                .toCompletableFuture()
                .get(TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS);
    }

    static String plugin(String name) {
        return TestPeers.require(PLUGINS + name).toString();
    }

    @ParameterizedTest(name = "exit {0}")
    @CsvSource({
        "0, OK, NONE",
        "1, WARNING, CHECK_FAILED",
        "2, CRITICAL, CHECK_FAILED",
        "3, UNKNOWN, CHECK_FAILED",
        "42, UNKNOWN, CHECK_FAILED"
    })
    void exitStatusesMapAsNagiosDoes(int exit, Status status, Reason reason) throws Exception {
        CheckResult result = run("command = \"echo 'FAKE STATE | x=" + exit + "ms'; exit " + exit + "\"");

        assertThat(result.status()).isEqualTo(status);
        assertThat(result.reason()).isEqualTo(reason);
        assertThat(result.summary()).endsWith("FAKE STATE");
        assertThat(sample(result, "patrol_sample_x_seconds")).contains(exit / 1000.0);
        assertThat(sample(result, "patrol_ssh_command_exit_status")).contains((double) exit);
    }

    @Test
    void aPluginKilledByASignalIsUnknown() throws Exception {
        CheckResult result = run("command = \"echo 'OK so far'; kill -KILL $$\"");

        assertThat(result.status()).isEqualTo(Status.UNKNOWN);
        assertThat(result.reason()).isEqualTo(Reason.CHECK_FAILED);
        assertThat(result.summary()).isEqualTo("killed by signal KILL: OK so far");
    }

    @Test
    void checkDisk() throws Exception {
        CheckResult result =
                run("command = \"" + plugin("check_disk") + " -w 20% -c 10% -p /\", perfdata-limits = max");

        assertThat(result.status()).isNotEqualTo(Status.UNKNOWN);
        assertThat(result.summary()).startsWith("DISK ");
        double used = sample(result, "patrol_sample_root_bytes").orElseThrow();
        double size = sample(result, "patrol_sample_root_max_bytes").orElseThrow();
        assertThat(used).isPositive();
        assertThat(size).isGreaterThan(used);
    }

    @Test
    void checkLoad() throws Exception {
        // Thresholds no machine reaches, so that a busy build host cannot turn the result.
        CheckResult result = run("command = \"" + plugin("check_load") + " -w 1000,1000,1000 -c 2000,2000,2000\"");

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.summary()).contains("load average");
        assertThat(samples(result))
                .containsKeys("patrol_sample_load1", "patrol_sample_load5", "patrol_sample_load15")
                .allSatisfy((name, value) -> assertThat(value).isNotNegative());
    }

    @Test
    void checkProcs() throws Exception {
        CheckResult result = run("command = \"" + plugin("check_procs") + " -w 100000 -c 200000\"");

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.summary()).startsWith("PROCS OK");
        assertThat(sample(result, "patrol_sample_procs"))
                .hasValueSatisfying(procs -> assertThat(procs).isPositive());
    }

    @Test
    void aMissingPluginIsUnknownWithTheShellsMessage() throws Exception {
        CheckResult result = run("command = \"" + PLUGINS + "check_does_not_exist\"");

        assertThat(result.status()).isEqualTo(Status.UNKNOWN);
        assertThat(result.summary()).startsWith("exit status 127: ").contains("check_does_not_exist");
    }

    @Test
    void prometheusTextFromPrintf() throws Exception {
        CheckResult result = run(
                """
                output = prometheus
                command = \"\"\"printf '# HELP jobs_total Jobs run.\\n# TYPE jobs_total counter\\njobs_total{kind="full"} 3\\nqueue_depth 7 1700000000000\\n'\"\"\"
                """);

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.summary()).isEqualTo("2 samples");
        assertThat(samples(result))
                .containsEntry("patrol_sample_jobs_total{kind=full}", 3.0)
                .containsEntry("patrol_sample_queue_depth", 7.0);
    }

    @Test
    void prometheusFromAFailingCommandIsCritical() throws Exception {
        CheckResult result = run("output = prometheus, command = \"echo 'a 1'; echo 'no data dir' >&2; exit 2\"");

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.reason()).isEqualTo(Reason.CHECK_FAILED);
        assertThat(result.summary()).isEqualTo("exit status 2: no data dir");
        assertThat(samples(result)).containsOnlyKeys("patrol_ssh_command_exit_status");
    }

    @Test
    void prometheusOutputOverMaxOutputIsCut() throws Exception {
        CheckResult result = run(
                """
                output = prometheus
                max-output = 1KiB
                command = \"\"\"i=0; while [ $i -lt 2000 ]; do echo "files{n=\\"$i\\"} $i"; i=$((i+1)); done\"\"\"
                """);

        assertThat(result.status()).isEqualTo(Status.WARNING);
        assertThat(result.reason()).isEqualTo(Reason.RESPONSE_TOO_LARGE);
        assertThat(result.summary()).contains("[output cut at 1024 bytes]");
        assertThat(result.samples()).hasSizeBetween(2, 100);
    }

    @Test
    void outputNoneWithOkExitCodes() throws Exception {
        CheckResult missing = run("output = none, command = \"grep -q needle /dev/null\"");
        CheckResult tolerated = run("output = none, ok-exit-codes = [0, 1], command = \"grep -q needle /dev/null\"");

        assertThat(missing.status()).isEqualTo(Status.CRITICAL);
        assertThat(missing.summary()).isEqualTo("exit status 1");
        assertThat(tolerated.status()).isEqualTo(Status.OK);
    }

    @Test
    void aRefusedConnectionIsCriticalWithItsReason() throws Exception {
        Target closed = Target.of("closed", "127.0.0.1", TestPorts.free());

        CheckResult result = run("command = uptime", closed);

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.reason()).isEqualTo(Reason.CONNECTION_REFUSED);
    }
}
