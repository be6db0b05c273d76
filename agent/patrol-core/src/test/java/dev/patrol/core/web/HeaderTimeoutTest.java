package dev.patrol.core.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.client.Collector;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HeaderTimeoutTest {
    private static final long HEADER_TIMEOUT_MILLIS = 500;

    private WebFixture web;

    @BeforeEach
    void start() throws IOException {
        web = WebFixture.start(WebFixture.withHeaderTimeout(HEADER_TIMEOUT_MILLIS));
    }

    @AfterEach
    void stop() {
        web.close();
    }

    @Test
    void closesAClientThatTricklesItsRequestHead() throws IOException {
        try (RawClient client = RawClient.connect(web.server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
            awaitClosedWhileTrickling(client);
        }
    }

    @Test
    void closesAClientThatSendsNothing() throws IOException {
        try (RawClient client = RawClient.connect(web.server.port())) {
            await().atMost(Duration.ofSeconds(10)).until(client::closedByServer);
        }
    }

    @Test
    void leavesAnIdleKeepAliveConnectionToTheIdleTimeout() throws Exception {
        try (RawClient client = RawClient.connect(web.server.port())) {
            assertThat(client.get("/-/healthy").status()).isEqualTo(200);
            // Idle between requests for several header timeouts, as Prometheus is between scrapes.
            Thread.sleep(HEADER_TIMEOUT_MILLIS * 4);
            assertThat(client.closedByServer()).isFalse();
            assertThat(client.get("/-/healthy").status()).isEqualTo(200);
        }
    }

    @Test
    void doesNotCutARequestThatTakesLongerThanTheHeaderTimeout() throws Exception {
        new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                try {
                    Thread.sleep(HEADER_TIMEOUT_MILLIS * 3);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return List.of();
            }
        }.register(web.registry);
        try (RawClient client = RawClient.connect(web.server.port())) {
            assertThat(client.get("/metrics").status()).isEqualTo(200);
        }
    }

    @Test
    void timesOutTheNextHeadOnAKeptAliveConnectionToo() throws Exception {
        try (RawClient client = RawClient.connect(web.server.port())) {
            assertThat(client.get("/-/healthy").status()).isEqualTo(200);
            client.send("GET /-/healthy HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
            awaitClosedWhileTrickling(client);
        }
    }

    /** Each byte arrives well inside the 30 s idle timeout, so only the header timeout can end this. */
    private static void awaitClosedWhileTrickling(RawClient client) {
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    try {
                        client.send("a");
                    } catch (IOException closed) {
                        return true;
                    }
                    return client.closedByServer();
                });
    }
}
