package dev.patrol.core.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.core.tls.TlsSettings.ClientAuth;
import dev.patrol.testing.TestCertificates;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTPS endpoint against the real curl: trust, mutual TLS, basic auth, plain HTTP, certificate renewal. */
class WebTlsIT {
    @TempDir
    Path dir;

    private String url(WebServer server, String path) {
        return "https://127.0.0.1:" + server.port() + path;
    }

    @Test
    void servesHttpsToAClientTrustingTheCaAndFailsOtherwise() throws Exception {
        TlsServers tls = new TlsServers(dir);
        Path otherDir = Files.createDirectory(dir.resolve("other"));
        TestCertificates otherCa = TestCertificates.create(otherDir);
        try (WebServer server = TlsServers.start(tls.settings(null, ClientAuth.NONE, Map.of()))) {
            Curl.Result trusted = Curl.run(dir, "--cacert", tls.certs.caFile().toString(), url(server, "/metrics"));
            assertThat(trusted.exitCode()).as(trusted.stderr()).isZero();
            assertThat(trusted.status()).isEqualTo(200);
            assertThat(trusted.stdout()).contains("patrol_test_total 1.0");

            Curl.Result untrusted = Curl.run(dir, "--cacert", otherCa.caFile().toString(), url(server, "/metrics"));
            // 60: peer certificate cannot be authenticated with known CA certificates.
            assertThat(untrusted.exitCode()).as(untrusted.stderr()).isEqualTo(60);
        }
    }

    @Test
    void requireAndVerifyAdmitsOnlyClientsWithACertificateFromTheClientCa() throws Exception {
        TlsServers tls = new TlsServers(dir);
        TestCertificates.Issued client =
                tls.certs.client("prometheus", Instant.now().plus(Duration.ofDays(30)));
        Path strangerDir = Files.createDirectory(dir.resolve("stranger"));
        TestCertificates.Issued stranger = TestCertificates.create(strangerDir)
                .client("stranger", Instant.now().plus(Duration.ofDays(30)));
        String ca = tls.certs.caFile().toString();
        try (WebServer server =
                TlsServers.start(tls.settings(tls.certs.caFile(), ClientAuth.REQUIRE_AND_VERIFY, Map.of()))) {
            Curl.Result withCert = Curl.run(
                    dir,
                    "--cacert",
                    ca,
                    "--cert",
                    client.certFile().toString(),
                    "--key",
                    client.keyFile().toString(),
                    url(server, "/-/healthy"));
            assertThat(withCert.exitCode()).as(withCert.stderr()).isZero();
            assertThat(withCert.status()).isEqualTo(200);

            Curl.Result without = Curl.run(dir, "--cacert", ca, url(server, "/-/healthy"));
            assertThat(without.exitCode())
                    .as("no client certificate")
                    .isNotZero()
                    .isNotEqualTo(Curl.TIMED_OUT);

            Curl.Result foreign = Curl.run(
                    dir,
                    "--cacert",
                    ca,
                    "--cert",
                    stranger.certFile().toString(),
                    "--key",
                    stranger.keyFile().toString(),
                    url(server, "/-/healthy"));
            assertThat(foreign.exitCode())
                    .as("certificate from another CA")
                    .isNotZero()
                    .isNotEqualTo(Curl.TIMED_OUT);
        }
    }

    @Test
    void basicAuthOverTlsRefusesAWrongPassword() throws Exception {
        TlsServers tls = new TlsServers(dir);
        String ca = tls.certs.caFile().toString();
        try (WebServer server = TlsServers.start(
                tls.settings(null, ClientAuth.NONE, Map.of("prometheus", BasicAuthTest.hash("scrape-me"))))) {
            Curl.Result wrong = Curl.run(dir, "--cacert", ca, "-u", "prometheus:guess", url(server, "/metrics"));
            assertThat(wrong.status()).isEqualTo(401);

            Curl.Result none = Curl.run(dir, "--cacert", ca, "-D", "-", url(server, "/metrics"));
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.stdout()).containsIgnoringCase("www-authenticate: Basic realm=\"patrol\"");

            Curl.Result right = Curl.run(dir, "--cacert", ca, "-u", "prometheus:scrape-me", url(server, "/metrics"));
            assertThat(right.status()).isEqualTo(200);
            assertThat(right.stdout()).contains("patrol_test_total");
        }
    }

    @Test
    void plainHttpToTheTlsPortFailsAtOnce() throws Exception {
        TlsServers tls = new TlsServers(dir);
        try (WebServer server = TlsServers.start(tls.settings(null, ClientAuth.NONE, Map.of()))) {
            Curl.Result plain = Curl.run(dir, "http://127.0.0.1:" + server.port() + "/metrics");

            assertThat(plain.exitCode()).as("not a timeout: %s", plain.stderr()).isNotEqualTo(Curl.TIMED_OUT);
            assertThat(plain.exitCode() != 0 || plain.status() == 400)
                    .as("refused or 400, got exit %s status %s", plain.exitCode(), plain.stdout())
                    .isTrue();
        }
    }

    @Test
    void aRenewedCertificateIsServedWithoutRestart() throws Exception {
        TlsServers tls = new TlsServers(dir);
        try (WebServer server = TlsServers.start(tls.settings(null, ClientAuth.NONE, Map.of()))) {
            BigInteger before = TlsServers.servedSerial(server.port());
            TestCertificates.Issued renewed = tls.certs.server(Instant.now().plus(Duration.ofDays(90)));

            tls.install(renewed);

            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() ->
                            assertThat(TlsServers.servedSerial(server.port())).isNotEqualTo(before));
            Curl.Result after = Curl.run(dir, "--cacert", tls.certs.caFile().toString(), url(server, "/-/healthy"));
            assertThat(after.status()).isEqualTo(200);
        }
    }

    @Test
    void aMismatchedKeyKeepsTheOldCertificate() throws Exception {
        TlsServers tls = new TlsServers(dir);
        try (WebServer server = TlsServers.start(tls.settings(null, ClientAuth.NONE, Map.of()))) {
            BigInteger before = TlsServers.servedSerial(server.port());
            TestCertificates.Issued other = tls.certs.server(Instant.now().plus(Duration.ofDays(90)));
            // Only the certificate: its key is not the one served.
            Files.copy(other.certFile(), tls.certFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            Thread.sleep(
                    Duration.ofSeconds(WebServer.CERTIFICATE_CHECK_SECONDS * 2).toMillis());

            assertThat(TlsServers.servedSerial(server.port())).isEqualTo(before);
            Curl.Result still = Curl.run(dir, "--cacert", tls.certs.caFile().toString(), url(server, "/-/healthy"));
            assertThat(still.status()).isEqualTo(200);
        }
    }
}
