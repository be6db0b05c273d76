package dev.patrol.core.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.core.config.WebSettings;
import io.prometheus.client.Counter;
import io.prometheus.client.hotspot.DefaultExports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A burst of simultaneous connections on loopback, as a thousand scrapers (or one flooder) make it: every connection
 * must get an HTTP answer, and the log must not get a line per connection. Bounded: one burst of {@link #BURST}
 * connections, each with a deadline.
 */
class WebServerBurstIT {
    private static final int BURST = 1_000;
    /** Lines the log may get about the whole burst (the old code wrote about 150). */
    private static final int MAX_LOG_LINES = 5;

    /** The default connection limit (512), and one far below the burst, so most connections wait to be accepted. */
    @ParameterizedTest(name = "max-connections = {0}")
    @ValueSource(ints = {512, 64})
    void everyConnectionOfABurstGetsAnAnswerAndTheLogStaysQuiet(int maxConnections) throws Exception {
        Burst.Outcome outcome;
        String log;
        // Idle and header timeouts far above what serving the burst takes, even on a machine at load 40: a connection
        // waiting its turn for a thread has sent its head long ago, and this test is about the queue, not about
        // cutting off slow clients (HeaderTimeoutTest and WebServerAbuseIT are).
        WebSettings settings = new WebSettings("127.0.0.1", 0, 16, maxConnections, 300_000, 300_000);
        try (WebFixture web = WebFixture.start(settings)) {
            DefaultExports.register(web.registry);
            Counter.build("patrol_test_events_total", "Events.")
                    .register(web.registry)
                    .inc();
            // Logback's console appender writes to whatever System.err is at the time of each line.
            PrintStream stderr = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                outcome = Burst.run(web.server.port(), "/metrics", BURST, Duration.ofSeconds(240));
            } finally {
                System.setErr(stderr);
            }
            log = captured.toString(StandardCharsets.UTF_8);
            System.out.println("Burst of " + BURST + " at max-connections " + maxConnections + ": " + outcome.counts()
                    + "; log:\n" + log);

            assertThat(web.get("/-/healthy").statusCode()).isEqualTo(200);
        }
        assertThat(outcome.total()).isEqualTo(BURST);
        assertThat(outcome.answered(200) + outcome.answered(503))
                .as("connections answered 200 or 503: %s", outcome.counts())
                .isEqualTo(BURST);
        assertThat(log.lines().count()).as(log).isLessThanOrEqualTo(MAX_LOG_LINES);
    }
}
