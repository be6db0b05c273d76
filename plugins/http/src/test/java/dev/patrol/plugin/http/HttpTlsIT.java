package dev.patrol.plugin.http;

import static dev.patrol.plugin.http.HttpTestSupport.check;
import static dev.patrol.plugin.http.HttpTestSupport.run;
import static dev.patrol.plugin.http.HttpTestSupport.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Status;
import dev.patrol.testing.Closing;
import dev.patrol.testing.NginxServer;
import dev.patrol.testing.TestCertificates;
import dev.patrol.testing.transport.TestTransports;
import dev.patrol.transport.http.HttpClientPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS against nginx with a certificate from a throwaway CA, over HTTP/1.1 and HTTP/2. */
class HttpTlsIT {
    @TempDir
    static Path dir;

    private static TestCertificates certs;
    private static TestCertificates.Issued serverCert;
    private static NginxServer nginx;
    private static HttpClientPool pool;

    @BeforeAll
    static void startNginx() throws Exception {
        Files.createDirectories(dir.resolve("certs"));
        certs = TestCertificates.create(dir.resolve("certs"));
        serverCert = certs.server(Instant.now().plus(Duration.ofDays(45)));
        nginx = NginxServer.create(dir.resolve("nginx"))
                .file("health", "ok\n")
                .tls(serverCert)
                .start();
        pool = TestTransports.httpClients();
    }

    @AfterAll
    static void stopNginx() throws Exception {
        Closing.closeAll(pool, nginx);
    }

    private static CheckResult runTls(String more) throws Exception {
        return run(check("url = \"" + nginx.tlsUrl("/health") + "\"\n" + more), pool);
    }

    @Test
    void untrustedCertificateFailsTheHandshake() throws Exception {
        CheckResult result = runTls("");

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.reason()).as(result.summary()).isEqualTo(Reason.TLS_FAILED);
        assertThat(result.summary()).startsWith("TLS handshake failed");
    }

    @Test
    void trustedCaPassesAndReportsTheCertificateExpiry() throws Exception {
        CheckResult result = runTls("tls.ca-file = \"" + certs.caFile() + "\"");

        assertThat(result.status()).as(result.summary()).isEqualTo(Status.OK);
        assertThat(sample(result, HttpOutcome.CERT_EXPIRY))
                .contains((double) serverCert.notAfter().getEpochSecond());
        assertThat(sample(result, HttpOutcome.VERSION)).contains(1.1);
    }

    @Test
    void insecureSkipVerifyAcceptsTheUntrustedCertificate() throws Exception {
        CheckResult result = runTls("tls.insecure-skip-verify = true");

        assertThat(result.status()).as(result.summary()).isEqualTo(Status.OK);
    }

    @Test
    void http2IsNegotiatedOverTls() throws Exception {
        CheckResult result = runTls("tls.ca-file = \"" + certs.caFile() + "\", http-version = http2");

        assertThat(result.status()).as(result.summary()).isEqualTo(Status.OK);
        assertThat(sample(result, HttpOutcome.VERSION)).contains(2.0);
        assertThat(sample(result, HttpOutcome.STATUS_CODE)).contains(200.0);
    }

    @Test
    void plainHttpToTheTlsPortIsAFailureNotAnError() throws Exception {
        CheckResult result = run(check("url = \"http://127.0.0.1:" + nginx.tlsPort() + "/health\""), pool);

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.reason()).isEqualTo(Reason.STATUS_MISMATCH);
        assertThat(sample(result, HttpOutcome.STATUS_CODE)).contains(400.0);
    }
}
