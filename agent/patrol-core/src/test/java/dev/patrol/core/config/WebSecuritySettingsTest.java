package dev.patrol.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.core.logging.LogLevel;
import dev.patrol.core.tls.TlsSettings;
import dev.patrol.core.tls.TlsSettings.ClientAuth;
import dev.patrol.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebSecuritySettingsTest {
    private static final String HASH = "$2y$04$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0";

    @TempDir
    Path dir;

    @Test
    void theDefaultsArePlainHttpWithoutUsersAndInfoLogging() {
        PatrolSettings settings = ConfigTesting.loader().load(ConfigTesting.write(dir, "patrol.conf", "patrol {}\n"));

        assertThat(settings.web().tls()).isNull();
        assertThat(settings.web().basicAuthUsers()).isEmpty();
        assertThat(settings.web().host()).isEqualTo("127.0.0.1");
        assertThat(settings.logging().level()).isEqualTo(LogLevel.INFO);
        assertThat(settings.logging().loggers()).isEmpty();
        assertThat(settings.logging().repeatInterval()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void readsTlsRelativeToTheMainFileUsersAndLoggers() {
        TestCertificates certs = TestCertificates.create(dir);
        TestCertificates.Issued server = certs.server(Instant.now().plus(Duration.ofDays(1)));
        Path main = ConfigTesting.write(
                dir,
                "patrol.conf",
                String.join(
                        "\n",
                        "patrol.web {",
                        "  tls {",
                        "    cert-file = \"" + server.certFile().getFileName() + "\"",
                        "    key-file = \"" + server.keyFile() + "\"",
                        "    client-ca-file = \"ca.pem\"",
                        "    client-auth = verify-if-given",
                        "  }",
                        "  basic-auth-users { alice = \"" + HASH + "\", \"bob@example\" = \"" + HASH + "\" }",
                        "}",
                        "patrol.logging {",
                        "  level = warn",
                        "  loggers { \"patrol.check.homepage\" = debug, dev.patrol.transport.ssh = trace }",
                        "  repeat-interval = 0s",
                        "}",
                        ""));

        PatrolSettings settings = ConfigTesting.loader().load(main);

        assertThat(settings.web().tls())
                .isEqualTo(new TlsSettings(
                        server.certFile(), server.keyFile(), certs.caFile(), ClientAuth.VERIFY_IF_GIVEN));
        assertThat(settings.web().basicAuthUsers()).isEqualTo(Map.of("alice", HASH, "bob@example", HASH));
        assertThat(settings.logging().level()).isEqualTo(LogLevel.WARN);
        assertThat(settings.logging().loggers())
                .isEqualTo(Map.of("patrol.check.homepage", LogLevel.DEBUG, "dev.patrol.transport.ssh", LogLevel.TRACE));
        assertThat(settings.logging().repeatInterval()).isZero();
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        TestCertificates certs = TestCertificates.create(dir);
        TestCertificates.Issued one = certs.server(Instant.now().plus(Duration.ofDays(1)));
        TestCertificates.Issued two = certs.server(Instant.now().plus(Duration.ofDays(1)));
        Path main = ConfigTesting.write(
                dir,
                "patrol.conf",
                "patrol.web.tls {\n  cert-file = \"" + one.certFile() + "\"\n  key-file = \"" + two.keyFile()
                        + "\"\n}\n");

        assertThat(ConfigTesting.problems(main, dir))
                .containsExactly("patrol.conf:3: patrol.web.tls.key-file: expected the private key of the"
                        + " certificate in cert-file");
    }

    @Test
    void sameListenerIgnoresOnlyWhatARunningServerTakesOver() {
        WebSettings plain = new WebSettings("127.0.0.1", 9740, 16, 512, 30_000, 10_000);
        TlsSettings tls = new TlsSettings(Path.of("a"), Path.of("b"), null, ClientAuth.NONE);
        TlsSettings otherTls = new TlsSettings(Path.of("c"), Path.of("d"), null, ClientAuth.REQUIRE);

        assertThat(plain.sameListener(plain.secured(null, Map.of("alice", HASH))))
                .isTrue();
        assertThat(plain.secured(tls, Map.of()).sameListener(plain.secured(otherTls, Map.of())))
                .isTrue();
        assertThat(plain.sameListener(plain.secured(tls, Map.of()))).isFalse();
        assertThat(plain.sameListener(new WebSettings("0.0.0.0", 9740, 16, 512, 30_000, 10_000)))
                .isFalse();
    }
}
