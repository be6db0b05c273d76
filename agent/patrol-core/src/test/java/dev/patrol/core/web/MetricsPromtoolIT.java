package dev.patrol.core.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.testing.Promtool;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import io.prometheus.client.Summary;
import io.prometheus.client.hotspot.DefaultExports;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Lints a real scrape of {@code /metrics} with promtool, as node_exporter's {@code checkmetrics.sh} does. */
class MetricsPromtoolIT {
    /**
     * JVM families from simpleclient_hotspot that promtool's lint flags and that are not Patrol's to rename, listed one
     * by one so that any other finding, in particular on a {@code patrol_} family, fails the test. With simpleclient
     * 0.16 and Debian's promtool 2.42 there are none.
     */
    private static final Set<String> KNOWN_JVM_FINDINGS = Set.of();

    @Test
    void scrapeWithJvmAndTestFamiliesPassesPromtool() throws Exception {
        Promtool promtool = Promtool.require();
        try (WebFixture web = WebFixture.start(WebFixture.defaults())) {
            DefaultExports.register(web.registry);
            registerTestFamilies(web);

            HttpResponse<String> scrape = web.get("/metrics");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("jvm_threads_current", "patrol_test_events_total");

            Promtool.Report report = promtool.checkMetrics(scrape.body());
            System.out.println("promtool exit " + report.exitCode() + ":\n" + report.output());
            assertThat(report.parsed()).as(report.output()).isTrue();
            assertThat(report.findingsExcept(KNOWN_JVM_FINDINGS))
                    .as(report.output())
                    .isEmpty();
        }
    }

    private static void registerTestFamilies(WebFixture web) {
        Counter events = Counter.build("patrol_test_events_total", "Events seen by the test.")
                .labelNames("kind")
                .register(web.registry);
        events.labels("plain").inc();
        events.labels("quote\" backslash\\ newline\n").inc(2);
        Gauge.build("patrol_test_temperature_celsius", "A gauge with a unit.")
                .register(web.registry)
                .set(21.5);
        Histogram latency = Histogram.build("patrol_test_latency_seconds", "A histogram in seconds.")
                .buckets(0.01, 0.1, 1)
                .register(web.registry);
        latency.observe(0.05);
        Summary.build("patrol_test_size_bytes", "A summary in bytes.")
                .register(web.registry)
                .observe(512);
    }
}
