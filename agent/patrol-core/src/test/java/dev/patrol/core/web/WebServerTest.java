package dev.patrol.core.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patrol.core.config.WebSettings;
import io.prometheus.client.Collector;
import io.prometheus.client.Counter;
import io.prometheus.client.GaugeMetricFamily;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class WebServerTest {
    private WebFixture web;

    @BeforeEach
    void start() throws IOException {
        web = WebFixture.start(WebFixture.defaults());
    }

    @AfterEach
    void stop() {
        web.close();
    }

    @Test
    void bindsAnEphemeralPortWhenPortIsZero() {
        assertThat(web.server.port()).isPositive();
    }

    @Test
    void refusesToStartOnAPortInUse() {
        WebSettings taken = new WebSettings("127.0.0.1", web.server.port(), 16, 512, 1000, 1000);
        assertThatThrownBy(() -> WebFixture.start(taken).close())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Cannot listen on 127.0.0.1:" + web.server.port());
    }

    @Test
    void connectionsOverTheLimitWaitForAFreeSlot() throws Exception {
        try (WebFixture limited = WebFixture.start(new WebSettings("127.0.0.1", 0, 16, 2, 30_000, 10_000));
                RawClient first = RawClient.connect(limited.server.port());
                RawClient second = RawClient.connect(limited.server.port());
                RawClient third = RawClient.connect(limited.server.port())) {
            assertThat(first.get("/-/healthy").status()).isEqualTo(200);
            assertThat(second.get("/-/healthy").status()).isEqualTo(200);
            // The third connection sits in the accept queue: its request is not read while two are open.
            third.send("GET /-/healthy HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(third.responseWithin(Duration.ofMillis(500))).isFalse();

            first.close();
            assertThat(third.readResponse().status()).isEqualTo(200);
        }
    }

    @Nested
    class Routing {
        @Test
        void healthyAnswers200() throws Exception {
            HttpResponse<String> response = web.get("/-/healthy");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("Healthy\n");
        }

        @Test
        void headAnswersWithoutABody() throws Exception {
            HttpResponse<String> response = web.client.send(
                    web.request("/-/healthy")
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEmpty();
        }

        @Test
        void malformedQueryIs400() throws Exception {
            try (RawClient client = RawClient.connect(web.server.port())) {
                assertThat(client.get("/metrics?name[]=%zz").status()).isEqualTo(400);
            }
        }

        @Test
        void unknownPathIs404() throws Exception {
            assertThat(web.get("/nope").statusCode()).isEqualTo(404);
            assertThat(web.get("/metrics/extra").statusCode()).isEqualTo(404);
        }

        @Test
        void postToAReadOnlyPathIs405WithAllow() throws Exception {
            HttpResponse<String> response = web.post("/metrics");
            assertThat(response.statusCode()).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }

        @Test
        void readinessFollowsTheSupplier() throws Exception {
            web.ready.set(false);
            HttpResponse<String> notReady = web.get("/-/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).isEqualTo("Not ready\n");

            web.ready.set(true);
            HttpResponse<String> ready = web.get("/-/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("Ready\n");
        }
    }

    @Nested
    class Reload {
        @Test
        void successIs200WithTheMessage() throws Exception {
            web.reload.set(() -> ReloadResult.succeeded("Reloaded: 3 checks, 2 targets"));
            HttpResponse<String> response = web.post("/-/reload");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("Reloaded: 3 checks, 2 targets\n");
        }

        @Test
        void failureIs500WithEveryProblem() throws Exception {
            web.reload.set(() -> ReloadResult.failed(
                    List.of("a.conf:3: patrol.x: expected a duration", "a.conf:9: patrol.y: unknown key")));
            HttpResponse<String> response = web.post("/-/reload");
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body())
                    .isEqualTo("a.conf:3: patrol.x: expected a duration\na.conf:9: patrol.y: unknown key\n");
        }

        @Test
        void aThrowingCallbackIs500() throws Exception {
            web.reload.set(() -> {
                throw new IllegalStateException("boom");
            });
            HttpResponse<String> response = web.post("/-/reload");
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).contains("boom");
        }

        @Test
        void getIs405AndDoesNotReload() throws Exception {
            web.reload.set(() -> {
                throw new AssertionError("must not be called");
            });
            HttpResponse<String> response = web.get("/-/reload");
            assertThat(response.statusCode()).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        }
    }

    @Nested
    class Metrics {
        @BeforeEach
        void register() {
            Counter.build("test_events_total", "Events.")
                    .labelNames("kind")
                    .register(web.registry)
                    .labels("a")
                    .inc();
            new EscapingCollector().register(web.registry);
        }

        @Test
        void prometheusTextByDefault() throws Exception {
            HttpResponse<String> response = web.get("/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(response.body())
                    .contains("# TYPE test_events_total counter\n", "test_events_total{kind=\"a\",} 1.0\n");
        }

        @Test
        void openMetricsWhenAccepted() throws Exception {
            HttpResponse<String> response = web.client.send(
                    web.request("/metrics")
                            .header("Accept", "application/openmetrics-text; version=1.0.0")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertThat(response.body()).contains("# TYPE test_events counter\n").endsWith("# EOF\n");
        }

        @Test
        void nameFilterKeepsOnlyTheNamedFamilies() throws Exception {
            String body = web.get("/metrics?name[]=test_escaping").body();
            assertThat(body).contains("test_escaping").doesNotContain("test_events_total");
        }

        @Test
        void gzipWhenTheClientAcceptsIt() throws Exception {
            // Big enough to pass the handler's minimum size for compression.
            for (int i = 0; i < 100; i++) {
                Counter.build("test_filler_" + i + "_total", "Filler.").register(web.registry);
            }
            HttpResponse<byte[]> response = web.client.send(
                    web.request("/metrics").header("Accept-Encoding", "gzip").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
            try (var gunzip = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
                assertThat(new String(gunzip.readAllBytes(), StandardCharsets.UTF_8))
                        .contains("test_filler_99_total 0.0\n");
            }
        }

        @Test
        void aSmallScrapeIsNotCompressed() throws Exception {
            HttpResponse<String> response = web.client.send(
                    web.request("/metrics?name[]=test_events_total")
                            .header("Accept-Encoding", "gzip")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).hasSizeLessThan(1024).contains("test_events_total");
            assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
        }

        @Test
        void labelValuesAreEscaped() throws Exception {
            assertThat(web.get("/metrics").body()).contains("test_escaping{value=\"a\\\"b\\\\c\\nd\",} 1.0\n");
        }

        @Test
        void aFailingCollectorIs500() throws Exception {
            new Collector() {
                @Override
                public List<MetricFamilySamples> collect() {
                    throw new IllegalStateException("collector broke");
                }
            }.register(web.registry);
            HttpResponse<String> response = web.get("/metrics");
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).contains("collector broke");
        }

        @Test
        void aSlowScrapeDoesNotHoldUpOtherRequests() throws Exception {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch entered = new CountDownLatch(1);
            new Collector() {
                @Override
                public List<MetricFamilySamples> collect() {
                    entered.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return List.of();
                }
            }.register(web.registry);
            CompletableFuture<HttpResponse<String>> slow =
                    web.client.sendAsync(web.request("/metrics").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(web.get("/-/healthy").statusCode()).isEqualTo(200);
            assertThat(slow).isNotDone();

            release.countDown();
            assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class Status {
        @Test
        void isHtmlWithEscapedRemoteText() throws Exception {
            StatusPageTest.recordRun(
                    web.results, "homepage", "web-1", "<script>alert(1)</script>", "<img src=x onerror=alert(2)>");
            HttpResponse<String> response = web.get("/");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(response.body())
                    .contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;")
                    .doesNotContain("<script", "<img");
        }
    }

    /** A gauge whose label value holds every character the exposition format must escape. */
    private static final class EscapingCollector extends Collector {
        @Override
        public List<MetricFamilySamples> collect() {
            GaugeMetricFamily family = new GaugeMetricFamily("test_escaping", "Label escaping.", List.of("value"));
            family.addMetric(List.of("a\"b\\c\nd"), 1);
            return List.of(family);
        }
    }
}
