package dev.patrol.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import dev.patrol.api.Target;
import dev.patrol.testing.Closing;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authentication failures against the real OpenSSH server: each has reason auth_failed and says what to fix. */
class SshAuthIT {
    @TempDir
    static Path dir;

    static OpenSshServer sshd;
    static SshSessionPool pool;
    static Config global;

    @BeforeAll
    static void start() {
        sshd = OpenSshServer.create(dir.resolve("sshd")).start();
        Path knownHosts = SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of(sshd.knownHostsLine(false)));
        global = SshTesting.ssh(Map.of("user", sshd.user(), "known-hosts", knownHosts));
        pool = SshTesting.pool(global, new SshMetrics());
    }

    @AfterAll
    static void stop() throws Exception {
        Closing.closeAll(pool, sshd);
    }

    static SshFailure failure(Map<String, ?> ssh) {
        Target target = SshTesting.target("auth-" + ssh.hashCode(), sshd.host(), sshd.port());
        SshTesting.ownSettings(pool, global, target, ssh);
        return SshSessionPoolIT.failure(pool.exec(target, "true", 1024, SshTesting.run(Duration.ofSeconds(20)))
                .toCompletableFuture());
    }

    @Test
    void missingKeyFile() {
        Path missing = dir.resolve("id_missing");

        SshFailure failure = failure(Map.of("identity-file", missing));

        assertThat(failure.reason()).isEqualTo(Reason.AUTH_FAILED);
        assertThat(failure.getMessage()).isEqualTo("identity file " + missing + " does not exist");
    }

    @Test
    void keyReadableByOthersIsRefusedBeforeConnecting() throws Exception {
        Path key = dir.resolve("id_open");
        Files.copy(sshd.clientKey(), key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        long loginsBefore = sshd.acceptedLogins();

        SshFailure failure = failure(Map.of("identity-file", key));

        assertThat(failure.reason()).isEqualTo(Reason.AUTH_FAILED);
        assertThat(failure.getMessage())
                .contains("identity file " + key + " is readable by others (mode 0644); chmod 600");
        assertThat(sshd.acceptedLogins()).isEqualTo(loginsBefore);
    }

    @Test
    void wrongUser() {
        SshFailure failure = failure(Map.of("identity-file", sshd.clientKey(), "user", "no-such-user"));

        assertThat(failure.reason()).isEqualTo(Reason.AUTH_FAILED);
        assertThat(failure.getMessage())
                .contains("no-such-user@127.0.0.1:" + sshd.port())
                .contains("accepted none of our credentials");
    }

    @Test
    void keyTheServerDoesNotKnow() {
        Path stranger = SshKeys.generate(dir.resolve("id_stranger"), "ed25519", "");

        SshFailure failure = failure(Map.of("identity-file", stranger));

        assertThat(failure.reason()).isEqualTo(Reason.AUTH_FAILED);
    }

    @Test
    void wrongPassphrase() throws Exception {
        Path key = SshKeys.generate(dir.resolve("id_locked"), "ed25519", "right");
        Path passphrase = Files.setPosixFilePermissions(
                Files.writeString(dir.resolve("wrong"), "wrong\n"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        SshFailure failure = failure(Map.of("identity-file", key, "identity-passphrase-file", passphrase));

        assertThat(failure.reason()).isEqualTo(Reason.AUTH_FAILED);
        assertThat(failure.getMessage()).contains("identity file " + key + " cannot be loaded");
    }

    @Test
    void passwordAuthenticationRefusedByAKeyOnlyServer() {
        SshFailure failure = failure(Map.of("password", "not-a-real-password"));

        assertThat(failure.reason()).isEqualTo(Reason.AUTH_FAILED);
        assertThat(failure.getMessage()).doesNotContain("not-a-real-password");
    }
}
