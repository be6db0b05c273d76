package dev.patrol.plugin.sshcommand;

import static dev.patrol.plugin.sshcommand.SshCommandTestSupport.block;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.CheckResult;
import dev.patrol.api.CommandResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import dev.patrol.testing.TestCheckContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which command results are the shell's failures rather than a check's verdict, and how each output mode says so. */
class ShellFailuresTest {
    static final String NOLOGIN = "This account is currently not available.\n";

    static CommandResult ended(int status, String stdout, String stderr) {
        return new CommandResult(status, "", stdout, stderr, false);
    }

    static CheckResult judge(String hocon, CommandResult command) throws Exception {
        SshCommandCheck check = (SshCommandCheck) new SshCommandPlugin().parse(block(hocon));
        return check.run(
                        Target.of("web-1", "127.0.0.1", 22),
                        TestCheckContext.builder()
                                .ssh(FakeSshSessions.answering(command))
                                .build())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "nologin on stdout         | 1   | This account is currently not available. |                                       | LOGIN_REFUSED",
                "nologin on stderr         | 1   |                                          | This account is currently not available. | LOGIN_REFUSED",
                "bash                      | 127 |                                          | bash: line 1: check_x: command not found | COMMAND_NOT_FOUND",
                "dash                      | 127 |                                          | sh: 1: /usr/lib/check_x: not found        | COMMAND_NOT_FOUND",
                "bash path                 | 127 |                                          | bash: /opt/x: No such file or directory   | COMMAND_NOT_FOUND",
                "not executable            | 126 |                                          | sh: 1: /etc/passwd: Permission denied     | COMMAND_NOT_EXECUTABLE",
                "a directory               | 126 |                                          | bash: /tmp: Is a directory                | COMMAND_NOT_EXECUTABLE",
            })
    void recognisesTheShellsOwnFailures(String name, int status, String stdout, String stderr, Reason reason) {
        assertThat(ShellFailures.recognise(ended(status, nonNull(stdout), nonNull(stderr))))
                .contains(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a plugin's warning        | 1   | LOAD WARNING - load average: 9.1          |",
                "nologin text and more     | 1   | This account is currently not available. | something else",
                "silent exit 1 (/bin/false) | 1  |                                           |",
                "127 without the message   | 127 | STATUS: weird                             |",
                "126 without the message   | 126 |                                           | no idea",
                "a plugin's critical       | 2   | This account is currently not available. |",
            })
    void leavesEverythingElseToTheCheck(String name, int status, String stdout, String stderr) {
        assertThat(ShellFailures.recognise(ended(status, nonNull(stdout), nonNull(stderr))))
                .isEmpty();
    }

    @Test
    void aSignalOrCutOutputIsNeverAShellFailure() {
        assertThat(ShellFailures.recognise(new CommandResult(-1, "KILL", NOLOGIN, "", false)))
                .isEmpty();
        assertThat(ShellFailures.recognise(new CommandResult(127, "", "", "x: not found", true)))
                .isEmpty();
    }

    @Test
    void aNologinShellIsUnknownNotAWarning() throws Exception {
        CheckResult result = judge("command = uptime", ended(1, NOLOGIN, ""));

        assertThat(result.status()).isEqualTo(Status.UNKNOWN);
        assertThat(result.reason()).isEqualTo(Reason.LOGIN_REFUSED);
        assertThat(result.summary()).isEqualTo("exit status 1: This account is currently not available.");
    }

    @Test
    void aMissingCommandIsUnknownInEveryOutputMode() throws Exception {
        CommandResult missing = ended(127, "", "sh: 1: textfile.sh: not found\n");

        for (String output : new String[] {"nagios", "prometheus", "none"}) {
            CheckResult result = judge("command = textfile.sh, output = " + output, missing);

            assertThat(result.status()).as(output).isEqualTo(Status.UNKNOWN);
            assertThat(result.reason()).as(output).isEqualTo(Reason.COMMAND_NOT_FOUND);
            assertThat(result.summary()).as(output).isEqualTo("exit status 127: sh: 1: textfile.sh: not found");
        }
    }

    @Test
    void anExitStatusListedAsOkStaysOk() throws Exception {
        CheckResult result =
                judge("command = x, output = none, ok-exit-codes = [0, 127]", ended(127, "", "sh: 1: x: not found"));

        assertThat(result.status()).isEqualTo(Status.OK);
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }
}
