package dev.patrol.plugin.http;

import static dev.patrol.plugin.http.HttpTestSupport.check;
import static dev.patrol.plugin.http.HttpTestSupport.run;
import static dev.patrol.plugin.http.HttpTestSupport.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Status;
import dev.patrol.testing.BlackHoleServer;
import dev.patrol.testing.NginxServer;
import dev.patrol.testing.TestPorts;
import dev.patrol.testing.transport.TestTransports;
import dev.patrol.transport.http.HttpClientPool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Targets that are down, stuck, slow or too big: each ends as a result at or before the deadline. */
class HttpFaultsIT {
    private static final long MIB = 1024 * 1024;
    private static final Duration TWO_SECONDS = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private final HttpClientPool pool = TestTransports.httpClients();

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void closedPortIsConnectionRefused() throws Exception {
        int port = TestPorts.free(); // nothing listens there: a closed port

        CheckResult result = run(check("url = \"http://127.0.0.1:" + port + "/\""), pool);

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.reason()).as(result.summary()).isEqualTo(Reason.CONNECTION_REFUSED);
        assertThat(result.summary()).matches("Connection refused after \\d+ ms");
    }

    @Test
    void serverThatNeverAnswersTimesOutAtTheDeadlineAndLetsGoOfTheConnection() throws Exception {
        try (BlackHoleServer hole = BlackHoleServer.start()) {
            HttpCheck check = check("url = \"http://127.0.0.1:" + hole.port() + "/\", timeout = 2s");

            CheckResult result = run(check, check.implicitTarget(), pool, TWO_SECONDS);

            assertThat(result.status()).isEqualTo(Status.CRITICAL);
            assertThat(result.reason()).as(result.summary()).isEqualTo(Reason.TIMEOUT);
            assertThat(hole.acceptedCount()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> hole.openConnections() == 0);
        }
    }

    @Test
    void tricklingBodyIsCutOffAtTheDeadlineAndItsConnectionClosed() throws Exception {
        try (NginxServer slow = NginxServer.create(dir)
                .largeFile("slow/big.bin", MIB)
                .location("/slow/", "limit_rate 4k;")
                .start()) {
            HttpCheck check = check("url = \"" + slow.url("/slow/big.bin") + "\", timeout = 2s");

            CheckResult result = run(check, check.implicitTarget(), pool, TWO_SECONDS);

            assertThat(result.status()).isEqualTo(Status.CRITICAL);
            assertThat(result.reason()).as(result.summary()).isEqualTo(Reason.TIMEOUT);
            // The request timeout covers only the wait for the headers; the deadline's cancel stops the body. The two
            // race at the deadline, so either may be the one reported.
            assertThat(result.summary()).containsAnyOf("Cancelled at the deadline", "Timed out after");
            await().atMost(Duration.ofSeconds(10)).until(() -> slow.activeConnections() == 0);
        }
    }

    @Test
    void bodyOverTheCapIsRefusedWithoutReadingIt() throws Exception {
        try (NginxServer nginx =
                NginxServer.create(dir).largeFile("big.bin", 50 * MIB).start()) {
            CheckResult result = run(check("url = \"" + nginx.url("/big.bin") + "\", max-response-size = 1MiB"), pool);

            assertThat(result.status()).isEqualTo(Status.CRITICAL);
            assertThat(result.reason()).isEqualTo(Reason.RESPONSE_TOO_LARGE);
            assertThat(sample(result, HttpOutcome.STATUS_CODE)).contains(200.0);
            assertThat(sample(result, HttpOutcome.RESPONSE_SIZE)).contains(0.0);
            await().atMost(Duration.ofSeconds(10)).until(() -> nginx.activeConnections() == 0);
        }
    }

    @Test
    void truncatedBodyIsJudgedOnItsFirstBytesAndReadingStopsAtTheCap() throws Exception {
        try (NginxServer nginx =
                NginxServer.create(dir).largeFile("big.bin", 50 * MIB).start()) {
            CheckResult result = run(
                    check("url = \"" + nginx.url("/big.bin") + "\", max-response-size = 1MiB, "
                            + "response-too-large = truncate, expect.body-not-matches = [\"[a-z]\"]"),
                    pool);

            assertThat(result.status()).as(result.summary()).isEqualTo(Status.OK);
            assertThat(result.summary()).endsWith("(judged on the first 1048576 B)");
            // Reading stops within one network read past the cap, far below the 50 MiB the server offered.
            assertThat(sample(result, HttpOutcome.RESPONSE_SIZE).orElseThrow())
                    .isGreaterThan(MIB)
                    .isLessThan(5 * MIB);
            await().atMost(Duration.ofSeconds(10)).until(() -> nginx.activeConnections() == 0);
        }
    }

    @Test
    void memoryStaysFlatWhileA50MiBBodyStreamsPastTheCap() throws Exception {
        try (NginxServer nginx =
                NginxServer.create(dir).largeFile("big.bin", 50 * MIB).start()) {
            HttpClient client = pool.get(check("url = \"http://127.0.0.1/\"").clientOptions());
            HttpRequest request =
                    HttpRequest.newBuilder(URI.create(nginx.url("/big.bin"))).build();
            Runtime runtime = Runtime.getRuntime();
            System.gc();
            long heapBefore = runtime.totalMemory() - runtime.freeMemory();
            // No declared length, as with a chunked body: the subscriber must stop by counting.
            CappedBodySubscriber[] subscriber = new CappedBodySubscriber[1];
            HttpResponse<CappedBody> response = client.sendAsync(request, info -> {
                        subscriber[0] = new CappedBodySubscriber(MIB, true, -1, true);
                        return subscriber[0];
                    })
                    .get(30, TimeUnit.SECONDS);
            long heapAfter = runtime.totalMemory() - runtime.freeMemory();

            CappedBody body = response.body();
            assertThat(body.overCap()).isTrue();
            assertThat(body.length()).isEqualTo(MIB);
            assertThat(body.received()).isGreaterThan(MIB).isLessThan(50 * MIB);
            assertThat(subscriber[0].retainedCapacity()).isLessThanOrEqualTo((int) MIB);
            // Loose on purpose (garbage collection is not exact): holding the whole body would add 50 MiB.
            assertThat(heapAfter - heapBefore).isLessThan(40 * MIB);
        }
    }
}
