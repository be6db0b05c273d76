package dev.patrol.plugin.http;

import static dev.patrol.plugin.http.HttpTestSupport.check;
import static dev.patrol.plugin.http.HttpTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Status;
import dev.patrol.testing.NginxServer;
import dev.patrol.testing.TestCertificates;
import dev.patrol.testing.TestCheckContext;
import dev.patrol.testing.transport.TestTransports;
import dev.patrol.transport.http.HttpClientPool;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every early end of an exchange lets go of its connection: the check runs many times against a server that never
 * hangs up, and the connections it leaves open come back down to what the pool keeps alive (one per host here, as
 * the runs are sequential). Before the fix, a response head over the JDK's header limit left one ESTABLISHED socket
 * per run, forever.
 */
class HttpConnectionLeakIT {
    private static final int RUNS = 15;
    private static final int KEPT_ALIVE = 1;
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final HttpClientPool pool = TestTransports.httpClients();

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void headerOverTheLimitClosesItsConnection() throws Exception {
        byte[] big = new byte[1024 * 1024];
        Arrays.fill(big, (byte) 'a');
        try (RawHttpServer server = RawHttpServer.start(out -> {
            write(out, "HTTP/1.1 200 OK\r\nX-Big: ");
            out.write(big);
            write(out, "\r\nContent-Length: 2\r\n\r\nok");
        })) {
            CheckResult last = runMany(check("url = \"" + server.url("/") + "\""));

            assertThat(last.reason()).as(last.summary()).isEqualTo(Reason.CONNECTION_FAILED);
            assertThat(last.summary()).contains("Header size too big");
            assertSettles(server);
        }
    }

    @Test
    void unparsableStatusLineClosesItsConnection() throws Exception {
        try (RawHttpServer server = RawHttpServer.start(out -> write(out, "HTTP/1.1 two-hundred OK\r\n\r\n"))) {
            CheckResult last = runMany(check("url = \"" + server.url("/") + "\""));

            assertThat(last.reason()).as(last.summary()).isEqualTo(Reason.CONNECTION_FAILED);
            assertSettles(server);
        }
    }

    @Test
    void redirectLoopPastTheLimitClosesItsConnections() throws Exception {
        try (RawHttpServer server = RawHttpServer.start(
                out -> write(out, "HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n"))) {
            CheckResult last = runMany(check("url = \"" + server.url("/") + "\", redirects = follow"));

            assertThat(last.status()).as(last.summary()).isEqualTo(Status.CRITICAL);
            assertSettles(server);
        }
    }

    @Test
    void declaredBodyOverTheCapClosesItsConnection() throws Exception {
        try (RawHttpServer server = RawHttpServer.start(out -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\n");
            out.write(new byte[64 * 1024]);
        })) {
            CheckResult last = runMany(check("url = \"" + server.url("/") + "\", max-response-size = 1MiB"));

            assertThat(last.reason()).as(last.summary()).isEqualTo(Reason.RESPONSE_TOO_LARGE);
            assertSettles(server);
        }
    }

    @Test
    void chunkedBodyOverTheCapClosesItsConnection() throws Exception {
        try (RawHttpServer server = RawHttpServer.start(out -> {
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 3; i++) {
                write(out, Integer.toHexString(1024 * 1024) + "\r\n");
                out.write(new byte[1024 * 1024]);
                write(out, "\r\n");
            }
        })) {
            CheckResult last = runMany(check("url = \"" + server.url("/") + "\", max-response-size = 1MiB"));

            assertThat(last.reason()).as(last.summary()).isEqualTo(Reason.RESPONSE_TOO_LARGE);
            assertSettles(server);
        }
    }

    @Test
    void bodyThatNeverEndsIsClosedAtTheDeadline() throws Exception {
        try (RawHttpServer server =
                RawHttpServer.start(out -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhalf"))) {
            HttpCheck check = check("url = \"" + server.url("/") + "\", timeout = 1s");
            for (int i = 0; i < 5; i++) {
                CheckResult result = run(check, check.implicitTarget(), pool, Duration.ofSeconds(1));
                assertThat(result.reason()).as(result.summary()).isEqualTo(Reason.TIMEOUT);
            }
            assertSettles(server);
        }
    }

    @Test
    void cancelledRunClosesItsConnection() throws Exception {
        try (RawHttpServer server = RawHttpServer.start(out -> write(out, "HTTP/1.1 200 OK\r\n"))) {
            HttpCheck check = check("url = \"" + server.url("/") + "\"");
            for (int i = 0; i < 5; i++) {
                TestCheckContext context = TestCheckContext.builder()
                        .cancelAtDeadline(false)
                        .http(pool::get)
                        .build();
                var result = check.run(check.implicitTarget(), context).toCompletableFuture();
                int before = i + 1;
                await().atMost(SETTLE).until(() -> server.acceptedCount() >= before);
                context.cancel();
                CheckResult done = result.get(30, TimeUnit.SECONDS);
                assertThat(done.reason()).as(done.summary()).isEqualTo(Reason.TIMEOUT);
            }
            assertSettles(server);
        }
    }

    @Test
    void nginxHeaderOverTheLimitClosesItsConnection() throws Exception {
        // nginx reads a directive of at most 4 KiB, so the oversized head is many headers of 3 KiB each.
        StringBuilder headers = new StringBuilder();
        String value = "b".repeat(3000);
        for (int i = 0; i < 150; i++) {
            headers.append("add_header X-Big-")
                    .append(i)
                    .append(" ")
                    .append(value)
                    .append(";\n");
        }
        try (NginxServer nginx = NginxServer.create(dir)
                .file("big/index.html", "ok\n")
                .location("/big/", headers + "keepalive_timeout 1h;")
                .start()) {
            CheckResult last = runMany(check("url = \"" + nginx.url("/big/") + "\""));

            assertThat(last.reason()).as(last.summary()).isEqualTo(Reason.CONNECTION_FAILED);
            assertThat(last.summary()).contains("Header size too big");
            await().atMost(SETTLE).until(() -> nginx.activeConnections() <= KEPT_ALIVE);
        }
    }

    @Test
    void http2StreamResetOverTheCapKeepsOneSharedConnection() throws Exception {
        Files.createDirectories(dir.resolve("certs"));
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        try (NginxServer nginx = NginxServer.create(dir.resolve("nginx"))
                .largeFile("big.bin", 8L * 1024 * 1024)
                .tls(certs.server(Instant.now().plus(Duration.ofDays(30))))
                .serverDirective("keepalive_timeout 1h;")
                .start()) {
            // Over the cap, the body subscriber cancels: the client resets that one stream, and the connection,
            // shared by every exchange to this host, stays open for the next run.
            CheckResult last = runMany(check("url = \"" + nginx.tlsUrl("/big.bin") + "\", http-version = http2, "
                    + "max-response-size = 1MiB, tls.ca-file = \"" + certs.caFile() + "\""));

            assertThat(last.reason()).as(last.summary()).isEqualTo(Reason.RESPONSE_TOO_LARGE);
            await().atMost(SETTLE).until(() -> nginx.activeConnections() <= KEPT_ALIVE);
        }
    }

    private CheckResult runMany(HttpCheck check) throws Exception {
        CheckResult last = null;
        for (int i = 0; i < RUNS; i++) {
            last = run(check, pool);
            assertThat(last.status()).as(last.summary()).isEqualTo(Status.CRITICAL);
        }
        return last;
    }

    private static void assertSettles(RawHttpServer server) {
        await().atMost(SETTLE).until(() -> server.openConnections() <= KEPT_ALIVE);
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
