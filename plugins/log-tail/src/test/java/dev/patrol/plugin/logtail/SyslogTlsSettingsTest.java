package dev.patrol.plugin.logtail;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.patrol.api.SettingsProblem;
import dev.patrol.testing.PluginTestSupport;
import dev.patrol.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code forward.syslog.tls}: read when the config is loaded, every bad file a {@code FILE:LINE: key.path: what was
 * expected} problem rather than a failed run.
 */
class SyslogTlsSettingsTest {
    private static final String PREFIX = "forward.syslog.tls.";

    @TempDir
    Path dir;

    private TestCertificates certs;
    private TestCertificates.Issued client;

    @BeforeEach
    void certificates() {
        certs = TestCertificates.create(dir);
        client = certs.client("patrol", Instant.now().plus(Duration.ofDays(1)));
    }

    @Test
    void aMissingCaFileIsNamedWithItsFileAndLine() throws IOException {
        Path conf = write("ca-file = \"" + dir.resolve("missing.pem") + "\"");

        assertThat(problems(conf))
                .containsExactly(conf + ":5: " + PREFIX + "ca-file: expected a readable file, '"
                        + dir.resolve("missing.pem") + "' is missing or unreadable");
    }

    @Test
    void aCaFileWithoutCertificatesIsRefused() throws IOException {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n");
        Path conf = write("ca-file = \"" + garbage + "\"");

        assertThat(problems(conf))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith(conf + ":5: " + PREFIX + "ca-file: expected a PEM file of certificates, " + garbage);
    }

    @Test
    void aKeyOtherThanPkcs8IsRefusedWithTheCommandThatConvertsIt() throws IOException {
        TestCertificates.openssl(dir, "ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", "sec1.pem");
        Path sec1 = dir.resolve("sec1.pem");
        Path conf = write("cert-file = \"" + client.certFile() + "\", key-file = \"" + sec1 + "\"");

        assertThat(problems(conf))
                .containsExactly(conf + ":5: " + PREFIX + "key-file: expected a PKCS#8 key (BEGIN PRIVATE KEY) in "
                        + sec1 + ", found EC PRIVATE KEY; convert it with openssl pkcs8 -topk8 -nocrypt -in " + sec1);
    }

    @Test
    void aKeyThatIsNotBase64IsAProblemNotACrash() throws IOException {
        Path broken = Files.writeString(
                dir.resolve("broken-key.pem"), "-----BEGIN PRIVATE KEY-----\nQQ=A\n-----END PRIVATE KEY-----\n");
        Path conf = write("cert-file = \"" + client.certFile() + "\", key-file = \"" + broken + "\"");

        assertThat(problems(conf))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith(conf + ":5: " + PREFIX + "key-file: expected valid base64 in " + broken);
    }

    @Test
    void aClientCertificateNeedsItsKey() throws IOException {
        Path conf = write("cert-file = \"" + client.certFile() + "\"");

        assertThat(problems(conf))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .endsWith(PREFIX + "key-file: is required: a client certificate needs both cert-file and key-file");
    }

    @Test
    void theNameCheckedIsTheAddressHostUnlessServerNameSaysOtherwise() throws IOException {
        SyslogTls byAddress = settings(write("ca-file = \"" + certs.caFile() + "\""))
                .forward()
                .tls();
        SyslogTls named = settings(write("server-name = \"syslog.example\", cert-file = \"" + client.certFile()
                        + "\", key-file = \"" + client.keyFile() + "\""))
                .forward()
                .tls();
        SyslogTls insecure =
                settings(write("insecure-skip-verify = true")).forward().tls();

        assertThat(byAddress.serverName()).isEqualTo("127.0.0.1");
        assertThat(byAddress.verifyName()).isTrue();
        assertThat(named.serverName()).isEqualTo("syslog.example");
        assertThat(named.verifyName()).isTrue();
        assertThat(insecure.verifyName()).isFalse();
    }

    @Test
    void withoutEnabledTheFilesAreNotRead() throws IOException {
        Path conf = dir.resolve("off.conf");
        Files.writeString(
                conf,
                "source = local, paths = [\"/var/log/app.log\"]\nforward { type = syslog, syslog {"
                        + " address = \"127.0.0.1:6514\", tls { ca-file = \"/missing.pem\" } } }\n");

        assertThat(settings(conf).forward().tls()).isNull();
    }

    /** A check block in its own file, with the TLS keys on line 5. */
    private Path write(String tlsKeys) throws IOException {
        Path conf = dir.resolve("check-" + System.nanoTime() + ".conf");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "source = local",
                        "paths = [\"/var/log/app.log\"]",
                        "forward.type = syslog",
                        "forward.syslog.address = \"127.0.0.1:6514\"",
                        "forward.syslog.tls { enabled = true, " + tlsKeys + " }",
                        ""));
        return conf;
    }

    private static Config block(Path conf) {
        return ConfigFactory.parseFile(conf.toFile())
                .withFallback(PluginTestSupport.pluginDefaults(LogTailPlugin.class, LogTailPlugin.TYPE))
                .withFallback(ConfigFactory.parseString(PluginTestSupport.COMMON_DEFAULTS))
                .resolve();
    }

    private static LogTailSettings settings(Path conf) {
        return LogTailSettings.from(block(conf));
    }

    private static List<String> problems(Path conf) {
        return PluginTestSupport.problems(conf.toString(), () -> settings(conf)).stream()
                .map(SettingsProblem::format)
                .toList();
    }
}
