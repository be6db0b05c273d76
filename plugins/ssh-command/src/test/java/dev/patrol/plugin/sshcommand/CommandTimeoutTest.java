package dev.patrol.plugin.sshcommand;

import static dev.patrol.plugin.sshcommand.SshCommandTestSupport.block;
import static dev.patrol.plugin.sshcommand.SshCommandTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patrol.api.CheckResult;
import dev.patrol.api.CommandResult;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.Reason;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import dev.patrol.testing.TestCheckContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code command-timeout}: its values, the command line it sends, and how the target's timeout is reported. */
class CommandTimeoutTest {
    static final Target TARGET = Target.of("web-1", "127.0.0.1", 22);

    static String sent(String hocon, Duration timeout) throws Exception {
        FakeSshSessions ssh = FakeSshSessions.answering(new CommandResult(0, "", "OK\n", "", false));
        SshCommandCheck check = (SshCommandCheck) new SshCommandPlugin().parse(block(hocon));
        check.run(TARGET, TestCheckContext.builder().timeout(timeout).ssh(ssh).build())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        return ssh.calls().get(0).command();
    }

    @Test
    void offSendsTheCommandAsItIs() throws Exception {
        assertThat(settings("command = x").commandTimeout()).isEqualTo(CommandTimeout.OFF);
        assertThat(sent("command = \"check_disk -p /\"", Duration.ofSeconds(10)))
                .isEqualTo("check_disk -p /");
    }

    @Test
    void aDurationWrapsTheCommandQuotedForTheLoginShell() throws Exception {
        String command = sent(
                "command = \"\"\"echo 'it''s' \"$HOME\"; exit 2\"\"\", command-timeout = 8s", Duration.ofSeconds(10));

        assertThat(command).isEqualTo("timeout -k 2 8 sh -c 'echo '\\''it'\\'''\\''s'\\'' \"$HOME\"; exit 2'");
    }

    @Test
    void autoTakesTheTimeLeftUntilTheDeadline() throws Exception {
        String command = sent("command = uptime, command-timeout = auto", Duration.ofSeconds(30));

        assertThat(command).matches("timeout -k 2 (29|30)(\\.\\d{1,3})? sh -c 'uptime'");
    }

    @Test
    void secondsKeepMillisecondsAndNeverReachZero() {
        assertThat(CommandTimeout.seconds(Duration.ofMillis(2500))).isEqualTo("2.5");
        assertThat(CommandTimeout.seconds(Duration.ofMinutes(2))).isEqualTo("120");
        assertThat(CommandTimeout.seconds(Duration.ZERO)).isEqualTo("1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"500ms", "2d", "soon", "true"})
    void refusesValuesOutsideTheRange(String value) {
        assertThatThrownBy(() -> settings("command = x, command-timeout = \"" + value + "\""))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining(
                        "command-timeout: expected off, auto or a duration from 1s to 1d, got '" + value + "'");
    }

    @Test
    void theTargetsTimeoutIsATimeoutResult() throws Exception {
        FakeSshSessions ssh = FakeSshSessions.answering(new CommandResult(124, "", "", "", false));
        SshCommandCheck check =
                (SshCommandCheck) new SshCommandPlugin().parse(block("command = x, command-timeout = 5s"));

        CheckResult result = check.run(
                        TARGET, TestCheckContext.builder().ssh(ssh).build())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(result.summary()).isEqualTo("stopped by command-timeout on the target (exit status 124)");
    }

    @Test
    void exitStatus124WithoutCommandTimeoutIsTheCommandsOwn() throws Exception {
        FakeSshSessions ssh = FakeSshSessions.answering(new CommandResult(124, "", "", "", false));
        SshCommandCheck check = (SshCommandCheck) new SshCommandPlugin().parse(block("command = x"));

        CheckResult result = check.run(
                        TARGET, TestCheckContext.builder().ssh(ssh).build())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        assertThat(result.reason()).isEqualTo(Reason.CHECK_FAILED);
    }
}
