package dev.patrol.core.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.client.Counter;
import io.prometheus.client.hotspot.DefaultExports;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The endpoint under abuse on loopback: slowloris connections plus a scrape flood must not starve a normal scrape,
 * and trickling connections must be cut at the header timeout. Every loop is bounded in time and count.
 */
class WebServerAbuseIT {
    private static final int TRICKLERS = 200;
    private static final int SCRAPERS = 50;
    private static final Duration ABUSE = Duration.ofSeconds(15);
    private static final int MEASURED_SCRAPES = 5;
    private static final long MAX_SCRAPE_MILLIS = 1_000;

    @Test
    void normalScrapesStayFastUnderTricklersAndAScrapeFlood() throws Exception {
        try (WebFixture web = WebFixture.start(WebFixture.defaults());
                Tricklers tricklers = new Tricklers(web.server.port(), TRICKLERS, true)) {
            DefaultExports.register(web.registry);
            Counter.build("patrol_test_events_total", "Events.")
                    .register(web.registry)
                    .inc();

            AtomicLong scrapes = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            long deadline = System.nanoTime() + ABUSE.toNanos();
            ExecutorService flood = Executors.newFixedThreadPool(SCRAPERS);
            for (int i = 0; i < SCRAPERS; i++) {
                flood.execute(() -> scrapeUntil(web, deadline, scrapes, failures));
            }
            while (System.nanoTime() < deadline) {
                tricklers.tick();
                Thread.sleep(1_000);
            }
            flood.shutdown();
            assertThat(flood.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < MEASURED_SCRAPES; i++) {
                tricklers.tick();
                millis.add(timeOneScrapeOnAFreshConnection(web));
            }
            System.out.printf(
                    "Flood: %d scrapes, %d failures; tricklers: %d live, %d closed by the server;"
                            + " scrapes on fresh connections took %s ms%n",
                    scrapes.get(), failures.get(), tricklers.liveCount(), tricklers.closedCount(), millis);

            assertThat(failures.get()).as("failed scrapes during the flood").isZero();
            assertThat(scrapes.get()).isPositive();
            assertThat(millis).allSatisfy(ms -> assertThat(ms).isLessThan(MAX_SCRAPE_MILLIS));
        }
    }

    @Test
    void tricklingConnectionsAreClosedAfterTheHeaderTimeout() throws Exception {
        long headerTimeoutMillis = 1_000;
        try (WebFixture web = WebFixture.start(WebFixture.withHeaderTimeout(headerTimeoutMillis));
                Tricklers tricklers = new Tricklers(web.server.port(), 50, false)) {
            // One byte every 200 ms: never idle long enough for the 30 s idle timeout.
            await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        tricklers.tick();
                        return tricklers.liveCount() == 0;
                    });
            System.out.printf(
                    "All %d tricklers closed; the shortest lived %d ms%n",
                    tricklers.closedCount(), tricklers.shortestLifetimeMillis());

            assertThat(tricklers.closedCount()).isEqualTo(50);
            assertThat(tricklers.shortestLifetimeMillis()).isGreaterThanOrEqualTo(headerTimeoutMillis);
            assertThat(web.get("/-/healthy").statusCode()).isEqualTo(200);
        }
    }

    private static void scrapeUntil(WebFixture web, long deadline, AtomicLong scrapes, AtomicLong failures) {
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = web.get("/metrics");
                if (response.statusCode() == 200 && response.body().contains("patrol_test_events_total")) {
                    scrapes.incrementAndGet();
                } else {
                    failures.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failures.incrementAndGet();
            }
        }
    }

    /** A whole scrape, from connect to the last body byte, on a connection of its own. */
    private static long timeOneScrapeOnAFreshConnection(WebFixture web) throws Exception {
        long start = System.nanoTime();
        try (RawClient client = RawClient.connect(web.server.port())) {
            client.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            RawClient.RawResponse response = client.readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).contains("patrol_test_events_total");
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
