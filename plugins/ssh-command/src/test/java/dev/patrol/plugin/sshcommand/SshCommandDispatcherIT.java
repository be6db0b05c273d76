package dev.patrol.plugin.sshcommand;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Status;
import dev.patrol.testing.SshKeys;
import dev.patrol.testing.transport.TestTransports;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@link SshCommandIT} again with {@code patrol.ssh.command-channel = dispatcher}: a check must not
 * tell which way its command went, but for the one documented difference, a command killed by a signal.
 */
class SshCommandDispatcherIT extends SshCommandIT {

    /** Runs after {@link SshCommandIT#start()}: the same sshd, a pool that sends commands through a dispatcher. */
    @BeforeAll
    static void useTheDispatcher() {
        pool.close();
        pool = TestTransports.sshPool(
                sshd,
                SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of(sshd.knownHostsLine(false))),
                Map.of("command-channel", "dispatcher"));
    }

    /**
     * A shell reports a command killed by a signal as exit status 128 + the signal's number, and so does the
     * dispatcher: the check is UNKNOWN as over an exec channel, only the summary names the status instead of the signal.
     */
    @Override
    @Test
    void aPluginKilledByASignalIsUnknown() throws Exception {
        CheckResult result = run("command = \"echo 'OK so far'; kill -KILL $$\"");

        assertThat(result.status()).isEqualTo(Status.UNKNOWN);
        assertThat(result.reason()).isEqualTo(Reason.CHECK_FAILED);
        assertThat(result.summary()).isEqualTo("exit status 137: OK so far");
    }
}
