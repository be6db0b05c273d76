package dev.patrol.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsProblem;
import dev.patrol.transport.ssh.SshSettings.HostKeyPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshSettingsTest {

    @Test
    void anEmptyBlockIsTheDefaults() {
        assertThat(SshSettings.from(ConfigFactory.empty())).isEqualTo(SshSettings.defaults());
    }

    @Test
    void defaultsAreStrictAndBounded() {
        SshSettings settings = SshSettings.from(ConfigFactory.empty());

        assertThat(settings.hostKeyPolicy()).isEqualTo(HostKeyPolicy.STRICT);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.authTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.sessionIdleClose()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.maxChannels()).isEqualTo(10);
        assertThat(settings.maxOutputBytes()).isEqualTo(64 * 1024);
        assertThat(settings.knownHosts()).isEqualTo(Path.of("/etc/patrol/known_hosts"));
        assertThat(settings.identityFile()).isNull();
        assertThat(settings.password()).isNull();
        assertThat(settings.proxyJump()).isNull();
        assertThat(settings.effectiveUser()).isEqualTo(System.getProperty("user.name"));
    }

    @Test
    void collectsEveryProblem() {
        var block = ConfigFactory.parseString(
                "host-key-policy = accept-all, connect-timeout = ten, max-channels = 0, proxy-jump = \"a b\"");

        assertThatThrownBy(() -> SshSettings.from(block))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
                        .extracting(SettingsProblem::path)
                        .containsExactlyInAnyOrder("host-key-policy", "connect-timeout", "max-channels", "proxy-jump"));
    }

    @Test
    void readsTheCommandChannel() {
        assertThat(SshSettings.defaults().commandChannel()).isEqualTo(SshSettings.CommandChannel.EXEC);
        assertThat(SshSettings.from(ConfigFactory.parseString("command-channel = dispatcher"))
                        .commandChannel())
                .isEqualTo(SshSettings.CommandChannel.DISPATCHER);
        assertThatThrownBy(() -> SshSettings.from(ConfigFactory.parseString("command-channel = mux")))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
                        .extracting(SettingsProblem::expected)
                        .containsExactly("expected one of exec, dispatcher, got 'mux'"));
    }

    @Test
    void readsSecretsFromFilesAndHidesThem(@TempDir Path dir) throws Exception {
        Path password = Files.setPosixFilePermissions(
                Files.writeString(dir.resolve("password"), "s3cret\n"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        SshSettings settings =
                SshSettings.from(SshTesting.ssh(Map.of("password-file", password, "host-key-policy", "accept-new")));

        assertThat(settings.password().reveal()).isEqualTo("s3cret");
        assertThat(settings.hostKeyPolicy()).isEqualTo(HostKeyPolicy.ACCEPT_NEW);
        assertThat(settings.toString()).doesNotContain("s3cret");
    }

    @Test
    void fileProblemsNameUnsafeKeysAndMissingKnownHosts(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("id_ed25519"), "not really a key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        List<SettingsProblem> problems = SshSettings.fileProblems(
                SshTesting.ssh(Map.of("identity-file", key, "known-hosts", dir.resolve("missing"))));

        assertThat(problems).extracting(SettingsProblem::path).containsExactly("identity-file", "known-hosts");
        assertThat(problems.get(0).expected())
                .contains("identity file " + key + " is readable by others (mode 0644); chmod 600 it");
    }

    @Test
    void proxyJumpForms() {
        assertThat(ProxyJump.parse("bastion")).contains(new ProxyJump(null, "bastion", 22));
        assertThat(ProxyJump.parse("ops@10.0.0.1:2222")).contains(new ProxyJump("ops", "10.0.0.1", 2222));
        assertThat(ProxyJump.parse("[::1]:22")).contains(new ProxyJump(null, "::1", 22));
        assertThat(ProxyJump.parse("a:99999")).isEmpty();
        assertThat(ProxyJump.parse("a b")).isEmpty();
    }
}
