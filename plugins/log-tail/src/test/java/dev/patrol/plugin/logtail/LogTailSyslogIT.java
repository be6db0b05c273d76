package dev.patrol.plugin.logtail;

import static dev.patrol.plugin.logtail.LogTailTestSupport.check;
import static dev.patrol.plugin.logtail.LogTailTestSupport.runLocal;
import static dev.patrol.plugin.logtail.LogTailTestSupport.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Status;
import dev.patrol.testing.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The syslog forwarder against a real rsyslog: every spooled line arrives as an RFC 5424 message with check, target
 * and path as structured data, across a restart of rsyslog mid-stream (at-least-once: duplicates are counted,
 * never losses), over plain TCP and over TLS.
 */
class LogTailSyslogIT {
    private static final int LINES = 20_000;

    @TempDir
    Path dir;

    private Rsyslog rsyslog;

    @AfterEach
    void stop() throws Exception {
        LogTailTestSupport.forgetState();
        if (rsyslog != null) {
            rsyslog.close();
        }
    }

    @Test
    void everyLineReachesRsyslogAcrossItsRestart() throws Exception {
        rsyslog = new Rsyslog(dir.resolve("rsyslog")).start();
        forwardAcrossRestart("", "syslog 127.0.0.1:" + rsyslog.port());
    }

    /**
     * The same over TLS to rsyslog's GnuTLS driver, which asks for a client certificate: the CA and both
     * certificates are made at test time, the receiver's name checked against 127.0.0.1 by default.
     */
    @Test
    void everyLineReachesRsyslogOverTlsAcrossItsRestart() throws Exception {
        TestCertificates certs = TestCertificates.create(Files.createDirectories(dir.resolve("certs")));
        Instant notAfter = Instant.now().plus(Duration.ofDays(30));
        TestCertificates.Issued server = certs.server(notAfter);
        TestCertificates.Issued client = certs.client("patrol", notAfter);
        rsyslog = new Rsyslog(
                        dir.resolve("rsyslog"),
                        new Rsyslog.Tls(certs.caFile(), server.certFile(), server.keyFile(), "x509/certvalid"))
                .start();
        forwardAcrossRestart(
                ", tls { enabled = true, ca-file = \"" + certs.caFile() + "\", cert-file = \"" + client.certFile()
                        + "\", key-file = \"" + client.keyFile() + "\" }",
                "syslog 127.0.0.1:" + rsyslog.port() + " over TLS");
    }

    /**
     * Writes numbered lines, forwarding after each batch, and stops rsyslog for a few runs mid-stream; afterwards
     * every line has arrived, the lines of the failed batches were counted as resent, and the runs during the
     * outage said so.
     */
    private void forwardAcrossRestart(String syslogKeys, String describe) throws Exception {
        Path log = dir.resolve("app.log");
        LogTailCheck check = check("source = local, start-at = beginning, max-read-per-run = 64KiB, paths = [\"" + log
                + "\"], forward { type = syslog, syslog { address = \"127.0.0.1:" + rsyslog.port()
                + "\", batch-lines = 300" + syslogKeys + " } }");
        Path state = dir.resolve("state");
        int written = 0;
        CheckResult during = null;
        for (int round = 0; written < LINES; round++) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                batch.append(String.format("%09d line%n", written++));
            }
            Files.writeString(log, batch, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (round == 10) {
                rsyslog.stop();
            }
            CheckResult result = runLocal(check, state);
            if (round == 12) {
                during = result;
                rsyslog.start();
            }
        }
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    runLocal(check, state);
                    return received().stream().distinct().count() >= LINES;
                });

        List<Long> numbers = received();
        long distinct = numbers.stream().distinct().count();
        CheckResult last = runLocal(check, state);
        Map<String, String> path = Map.of("path", log.toString());
        double resent = sample(last, "patrol_log_forward_resent_lines_total", path);
        System.out.printf(
                "%s forwarding: written=%d received=%d distinct=%d duplicated=%d lost=%d resent=%.0f%n",
                describe, LINES, numbers.size(), distinct, numbers.size() - distinct, LINES - distinct, resent);
        assertThat(during.status()).isEqualTo(Status.WARNING);
        assertThat(during.reason()).isIn(Reason.CONNECTION_REFUSED, Reason.CONNECTION_FAILED);
        assertThat(during.summary()).contains("forwarding to " + describe + " failed");
        assertThat(last.status()).isEqualTo(Status.OK);
        assertThat(distinct).isEqualTo(LINES);
        assertThat(resent).isPositive();
        assertThat(sample(last, "patrol_log_forwarded_lines_total", path)).isGreaterThanOrEqualTo(LINES);
        assertThat(Files.readAllLines(rsyslog.output(), StandardCharsets.UTF_8).get(0))
                .endsWith("|[patrol@32473 check=\"logs\" target=\"local\" path=\"" + log + "\"]");
    }

    private List<Long> received() throws IOException {
        if (!Files.exists(rsyslog.output())) {
            return List.of();
        }
        return Files.readAllLines(rsyslog.output(), StandardCharsets.UTF_8).stream()
                .map(String::strip)
                .filter(line -> line.length() >= 9)
                .map(line -> Long.parseLong(line.substring(0, 9)))
                .toList();
    }
}
