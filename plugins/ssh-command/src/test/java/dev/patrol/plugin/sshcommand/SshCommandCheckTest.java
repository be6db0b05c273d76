package dev.patrol.plugin.sshcommand;

import static dev.patrol.plugin.sshcommand.SshCommandTestSupport.block;
import static dev.patrol.plugin.sshcommand.SshCommandTestSupport.sample;
import static dev.patrol.plugin.sshcommand.SshCommandTestSupport.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.patrol.api.CheckResult;
import dev.patrol.api.CommandResult;
import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import dev.patrol.api.SshSessions;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import dev.patrol.testing.TestCheckContext;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The check against a fake SSH session pool: how command results and failures become check results. */
class SshCommandCheckTest {
    static final Target TARGET = Target.of("web-1", "127.0.0.1", 22);

    static CheckResult run(String hocon, SshSessions ssh) throws Exception {
        SshCommandCheck check = (SshCommandCheck) new SshCommandPlugin().parse(block(hocon));
        return check.run(TARGET, TestCheckContext.builder().ssh(ssh).build())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    static CheckResult run(String hocon, CommandResult command) throws Exception {
        return run(hocon, FakeSshSessions.answering(command));
    }

    static CommandResult exited(int status, String stdout) {
        return new CommandResult(status, "", stdout, "", false);
    }

    @Test
    void runsTheCommandWithMaxOutput() throws Exception {
        FakeSshSessions ssh = FakeSshSessions.answering(exited(0, "OK\n"));

        run("command = \"check_x -w 1\", max-output = 2KiB", ssh);

        assertThat(ssh.calls()).containsExactly(new FakeSshSessions.Call(TARGET, "check_x -w 1", 2048));
    }

    @Test
    void anSshFailureIsCriticalWithItsReason() throws Exception {
        SshFailure refused = new SshFailure(Reason.CONNECTION_REFUSED, "connection to 127.0.0.1:22 refused");

        for (Throwable error : new Throwable[] {refused, new CompletionException(refused)}) {
            CheckResult result = run("command = uptime", FakeSshSessions.failing(error));

            assertThat(result.status()).isEqualTo(Status.CRITICAL);
            assertThat(result.reason()).isEqualTo(Reason.CONNECTION_REFUSED);
            assertThat(result.summary()).isEqualTo("connection to 127.0.0.1:22 refused");
            assertThat(result.samples()).isEmpty();
        }
    }

    @Test
    void anyOtherFailureFailsTheStageForTheEngineToCount() {
        var ssh = FakeSshSessions.failing(new IllegalStateException("bug in the pool"));

        Assertions.assertThatThrownBy(() -> run("command = uptime", ssh))
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aContextWithoutSshFailsTheStageInsteadOfThrowing() {
        SshCommandCheck check = (SshCommandCheck) new SshCommandPlugin().parse(block("command = uptime"));
        TestCheckContext context = TestCheckContext.withTimeout(Duration.ofSeconds(1));

        var stage = check.run(TARGET, context).toCompletableFuture();

        assertThat(stage).isCompletedExceptionally();
    }

    @Test
    void outputNoneJudgesTheExitStatusOnly() throws Exception {
        CheckResult ok = run("command = x, output = none", exited(0, "backup done\n2 files\n"));
        CheckResult failed = run("command = x, output = none", exited(1, ""));
        CheckResult grepMiss = run("command = x, output = none, ok-exit-codes = [0, 1]", exited(1, ""));
        CheckResult killed = run("command = x, output = none", new CommandResult(-1, "TERM", "", "", false));

        assertThat(ok.status()).isEqualTo(Status.OK);
        assertThat(ok.summary()).isEqualTo("backup done");
        assertThat(ok.output()).isEqualTo("2 files");
        assertThat(samples(ok)).containsExactly(entry("patrol_ssh_command_exit_status", 0.0));
        assertThat(failed.status()).isEqualTo(Status.CRITICAL);
        assertThat(failed.reason()).isEqualTo(Reason.CHECK_FAILED);
        assertThat(failed.summary()).isEqualTo("exit status 1");
        assertThat(grepMiss.status()).isEqualTo(Status.OK);
        assertThat(grepMiss.summary()).isEqualTo("exit status 1");
        assertThat(killed.status()).isEqualTo(Status.CRITICAL);
        assertThat(killed.summary()).isEqualTo("killed by signal TERM");
        assertThat(sample(killed, "patrol_ssh_command_exit_status")).contains(-1.0);
    }
}
