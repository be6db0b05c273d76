package dev.patrol.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.CommandResult;
import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import dev.patrol.api.Target;
import dev.patrol.testing.Closing;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host keys against the real OpenSSH server: strict by default, trust on first use when asked, never accept all. */
class SshHostKeyIT {
    @TempDir
    Path dir;

    OpenSshServer sshd;
    SshSessionPool pool;
    Path knownHosts;

    @BeforeEach
    void start() {
        sshd = OpenSshServer.create(dir.resolve("sshd")).start();
        knownHosts = dir.resolve("known_hosts");
    }

    @AfterEach
    void stop() throws Exception {
        Closing.closeAll(pool, sshd);
    }

    SshSessionPool pool(String policy) {
        pool = SshTesting.pool(
                SshTesting.ssh(SshTesting.client(sshd, knownHosts, Map.of("host-key-policy", policy))),
                new SshMetrics());
        return pool;
    }

    CompletableFuture<CommandResult> exec(String command) {
        Target target = SshTesting.target("sshd", sshd.host(), sshd.port());
        return pool.exec(target, command, 1024, SshTesting.run(Duration.ofSeconds(20)))
                .toCompletableFuture();
    }

    @Test
    void acceptsAKnownKeyWrittenHashed() {
        SshKeys.writeKnownHosts(knownHosts, List.of(sshd.knownHostsLine(true)));
        pool("strict");

        assertThat(exec("echo ok").join().stdout()).isEqualTo("ok\n");
    }

    @Test
    void refusesAChangedKeyBeforeTheCommandRuns() {
        SshKeys.writeKnownHosts(knownHosts, List.of(sshd.knownHostsLine(false)));
        sshd.replaceHostKey();
        Path marker = dir.resolve("marker");
        pool("accept-new");

        SshFailure failure = SshSessionPoolIT.failure(exec("touch " + marker));

        assertThat(failure.reason()).isEqualTo(Reason.HOST_KEY_MISMATCH);
        assertThat(failure.getMessage()).contains("[127.0.0.1]:" + sshd.port()).contains("SHA256:");
        assertThat(marker).doesNotExist();
        assertThat(sshd.acceptedLogins()).isZero();
    }

    @Test
    void refusesAnUnknownKeyUnderStrict() throws Exception {
        SshKeys.writeKnownHosts(knownHosts, List.of(SshKeys.knownHostsLine("other", 22, sshd.hostKeyText(), false)));
        pool("strict");

        SshFailure failure = SshSessionPoolIT.failure(exec("true"));

        assertThat(failure.reason()).isEqualTo(Reason.HOST_KEY_UNKNOWN);
        assertThat(failure.getMessage()).contains("is not in " + knownHosts);
        assertThat(Files.readAllLines(knownHosts)).hasSize(1);
        assertThat(sshd.acceptedLogins()).isZero();
    }

    @Test
    void refusesEveryKeyWhenKnownHostsIsMissing() {
        pool("strict");

        SshFailure failure = SshSessionPoolIT.failure(exec("true"));

        assertThat(failure.reason()).isEqualTo(Reason.HOST_KEY_UNKNOWN);
        assertThat(failure.getMessage()).contains(knownHosts + " does not exist");
    }

    @Test
    void acceptNewTrustsOnFirstUseAndAppends() throws Exception {
        SshKeys.writeKnownHosts(knownHosts, List.of(SshKeys.knownHostsLine("other", 22, sshd.hostKeyText(), false)));
        pool("accept-new");

        assertThat(exec("echo first").join().stdout()).isEqualTo("first\n");
        assertThat(Files.readAllLines(knownHosts)).hasSize(2).last().isEqualTo(sshd.knownHostsLine(false));

        // The appended key is now the one on record: a new key on the same port is refused.
        pool.close();
        sshd.replaceHostKey();
        pool("accept-new");
        assertThat(SshSessionPoolIT.failure(exec("true")).reason()).isEqualTo(Reason.HOST_KEY_MISMATCH);
    }
}
