package dev.patrol.plugin.logtail;

import static dev.patrol.plugin.logtail.LogTailTestSupport.check;
import static dev.patrol.plugin.logtail.LogTailTestSupport.runLocal;
import static dev.patrol.plugin.logtail.LogTailTestSupport.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Status;
import dev.patrol.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The syslog forwarder's TLS refusing what it must refuse, against a real rsyslog (GnuTLS driver): a certificate for
 * another name, one from an untrusted CA, a receiver that refuses the agent for want of a client certificate, and a
 * receiver that does not speak TLS. Each run says why (warning,
 * {@code tls_failed} or {@code timeout}), counts it in {@code patrol_log_forward_failures_total}, keeps the lines in
 * the spool, and the receiver never sees one of them.
 */
class LogTailSyslogTlsIT {
    private static final String SECRET_LINE = "card=4111111111111111 must only travel encrypted";

    @TempDir
    Path dir;

    private Rsyslog rsyslog;
    private TestCertificates certs;
    private Path log;
    private Instant notAfter;

    @BeforeEach
    void setUp() throws Exception {
        certs = TestCertificates.create(Files.createDirectories(dir.resolve("certs")));
        notAfter = Instant.now().plus(Duration.ofDays(30));
        log = dir.resolve("app.log");
        Files.writeString(log, SECRET_LINE + "\n" + SECRET_LINE + " again\n");
    }

    @AfterEach
    void stop() throws Exception {
        LogTailTestSupport.forgetState();
        if (rsyslog != null) {
            rsyslog.close();
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefusedUntilServerNameSaysSo() throws Exception {
        TestCertificates.Issued server = certs.server(notAfter, "DNS:syslog.example");
        startTlsRsyslog(server);

        CheckResult refused = runLocal(check(tls("ca-file = \"" + certs.caFile() + "\"", "")), dir.resolve("state"));

        assertRefused(refused, Reason.TLS_FAILED);
        assertThat(refused.summary()).contains("TLS handshake failed").contains("127.0.0.1");

        CheckResult named = runLocal(
                check(tls("ca-file = \"" + certs.caFile() + "\", server-name = \"syslog.example\"", "")),
                dir.resolve("state"));
        assertThat(named.status()).isEqualTo(Status.OK);
        // Each line exactly once: the refused run delivered nothing that the named one had to send again.
        assertThat(receivedAfterStop().lines().map(line -> line.substring(0, line.indexOf('|'))
                        .strip()))
                .containsExactly(SECRET_LINE, SECRET_LINE + " again");
    }

    @Test
    void aCertificateFromAnUntrustedCaIsRefused() throws Exception {
        startTlsRsyslog(certs.server(notAfter));
        TestCertificates other = TestCertificates.create(Files.createDirectories(dir.resolve("other-ca")));

        CheckResult result = runLocal(check(tls("ca-file = \"" + other.caFile() + "\"", "")), dir.resolve("state"));

        assertRefused(result, Reason.TLS_FAILED);
        assertThat(result.summary()).contains("PKIX");
        assertThat(receivedAfterStop()).doesNotContain("4111111111111111");
    }

    /**
     * rsyslog checks a client certificate only after the handshake and then closes: the agent must see that as a
     * refusal, not as a receiver that read the batch and closed (which, for a small batch written before the close
     * arrived, it took it for without waiting for the receiver to accept).
     */
    @Test
    void aReceiverThatWantsAClientCertificateRefusesTheAgentWithoutOne() throws Exception {
        TestCertificates.Issued server = certs.server(notAfter);
        rsyslog = new Rsyslog(
                        dir.resolve("rsyslog"),
                        new Rsyslog.Tls(certs.caFile(), server.certFile(), server.keyFile(), "x509/certvalid"))
                .start();

        CheckResult result = runLocal(check(tls("ca-file = \"" + certs.caFile() + "\"", "")), dir.resolve("state"));

        assertRefused(result, Reason.TLS_FAILED);
        assertThat(result.summary()).contains("closed the connection right after the TLS handshake");
        assertThat(receivedAfterStop()).doesNotContain("4111111111111111");
    }

    @Test
    void aPlainReceiverNeverSeesALine() throws Exception {
        rsyslog = new Rsyslog(dir.resolve("rsyslog")).start();

        CheckResult result =
                runLocal(check(tls("ca-file = \"" + certs.caFile() + "\"", "timeout = 2s, ")), dir.resolve("state"));

        // Plain rsyslog takes the ClientHello for the start of a message and waits for more: the handshake times out.
        assertRefused(result, Reason.TIMEOUT);
        assertThat(receivedAfterStop()).doesNotContain("4111111111111111");
    }

    private void startTlsRsyslog(TestCertificates.Issued server) throws Exception {
        rsyslog = new Rsyslog(
                        dir.resolve("rsyslog"),
                        new Rsyslog.Tls(certs.caFile(), server.certFile(), server.keyFile(), "anon"))
                .start();
    }

    private String tls(String tlsKeys, String syslogKeys) {
        return "source = local, start-at = beginning, paths = [\"" + log + "\"], forward { type = syslog, syslog {"
                + " address = \"127.0.0.1:" + rsyslog.port() + "\", " + syslogKeys + "tls { enabled = true, " + tlsKeys
                + " } } }";
    }

    /** Everything rsyslog wrote, once it has exited (it writes out what it received before it does). */
    private String receivedAfterStop() throws Exception {
        rsyslog.stop();
        return Files.exists(rsyslog.output()) ? Files.readString(rsyslog.output(), StandardCharsets.ISO_8859_1) : "";
    }

    private void assertRefused(CheckResult result, Reason reason) throws Exception {
        Map<String, String> path = Map.of("path", log.toString());
        assertThat(result.status()).isEqualTo(Status.WARNING);
        assertThat(result.reason()).isEqualTo(reason);
        assertThat(result.summary())
                .contains("forwarding to syslog 127.0.0.1:" + rsyslog.port() + " over TLS failed")
                .contains("the spool keeps the lines");
        assertThat(sample(result, "patrol_log_lines_total", path)).isEqualTo(2);
        assertThat(sample(result, "patrol_log_forwarded_lines_total", path)).isZero();
        assertThat(sample(
                        result,
                        "patrol_log_forward_failures_total",
                        Map.of("path", log.toString(), "reason", reason.label())))
                .isEqualTo(1);
    }
}
