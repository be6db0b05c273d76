package dev.patrol.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Sample;
import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.RunRecord;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.state.SeriesState;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CheckCollectorTest {
    private final ResultStore store = new ResultStore();
    private final CollectorRegistry registry = new CollectorRegistry();

    CheckCollectorTest() {
        registry.register(new CheckCollector(store));
    }

    private String scrape() throws Exception {
        StringWriter out = new StringWriter();
        TextFormat.write004(out, registry.metricFamilySamples());
        return out.toString();
    }

    private SeriesState register(String check, String target, Map<String, String> labels) {
        return store.register(
                new SeriesKey(check, target), "http", labels, Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    private static RunRecord run(String check, String target, Outcome outcome, CheckResult result) {
        return new RunRecord(
                check, target, outcome, result, Instant.ofEpochSecond(1_700_000_000), Duration.ofMillis(250), 1);
    }

    @Test
    void everyResultValueIsExportedAtZeroBeforeTheFirstRun() throws Exception {
        register("homepage", "web-1", Map.of());
        String text = scrape();
        for (Outcome outcome : Outcome.values()) {
            assertThat(text)
                    .contains("patrol_check_runs_total{check=\"homepage\",target=\"web-1\",result=\"" + outcome.label()
                            + "\",} 0.0");
        }
        assertThat(text)
                .contains("patrol_check_skipped_total{check=\"homepage\",target=\"web-1\",reason=\"overlap\",} 0.0");
        assertThat(text).doesNotContain("patrol_check_up{");
    }

    @Test
    void lastRunBecomesStateGaugesWithStaticLabels() throws Exception {
        SeriesState state = register("homepage", "web-1", Map.of("team", "shop"));
        state.record(run(
                "homepage",
                "web-1",
                Outcome.CRITICAL,
                new CheckResult(
                        dev.patrol.api.Status.CRITICAL,
                        Reason.STATUS_MISMATCH,
                        "HTTP 503",
                        "",
                        List.of(
                                Sample.gauge("queue_depth", 7),
                                Sample.metric("requests_total", Sample.Kind.COUNTER, Map.of("check", "x"), 3)))));
        String text = scrape();
        String labels = "check=\"homepage\",target=\"web-1\",team=\"shop\"";
        assertThat(text).contains("patrol_check_up{" + labels + ",} 0.0");
        assertThat(text).contains("patrol_check_status{" + labels + ",} 2.0");
        assertThat(text).contains("patrol_check_duration_seconds{" + labels + ",} 0.25");
        assertThat(text).contains("patrol_check_last_run_timestamp_seconds{" + labels + ",} 1.7E9");
        assertThat(text).contains("patrol_check_failure_reason{" + labels + ",reason=\"status_mismatch\",} 1.0");
        assertThat(text).contains("patrol_check_runs_total{" + labels + ",result=\"critical\",} 1.0");
        assertThat(text).contains("patrol_sample_queue_depth{" + labels + ",} 7.0");
        // A sample label named like a series label is renamed, never allowed to overwrite it.
        assertThat(text).contains("requests_total{" + labels + ",exported_check=\"x\",} 3.0");
        assertThat(text).contains("# TYPE requests_total counter");
    }

    @Test
    void passingRunHasNoFailureReason() throws Exception {
        register("homepage", "web-1", Map.of()).record(run("homepage", "web-1", Outcome.OK, CheckResult.ok("fine")));
        assertThat(scrape())
                .doesNotContain("patrol_check_failure_reason{")
                .contains("patrol_check_up{check=\"homepage\",target=\"web-1\",} 1.0");
    }

    @Test
    void intervalIsExportedForIntervalChecksOnly() throws Exception {
        register("every-30s", "t", Map.of());
        store.register(new SeriesKey("nightly", "t"), "http", Map.of(), Duration.ZERO, Duration.ofSeconds(10));
        assertThat(scrape())
                .contains("patrol_check_interval_seconds{check=\"every-30s\",target=\"t\",} 30.0")
                .doesNotContain("patrol_check_interval_seconds{check=\"nightly\"");
    }

    @Test
    void removedPairsDisappearFromTheNextScrape() throws Exception {
        register("a", "t", Map.of());
        register("b", "t", Map.of());
        store.retainOnly(Set.of(new SeriesKey("b", "t")));
        assertThat(scrape()).doesNotContain("check=\"a\"").contains("check=\"b\"");
    }

    @Test
    void labelValuesAreEscaped() throws Exception {
        register("c", "t", Map.of("note", "say \"hi\"\\\n"));
        assertThat(scrape()).contains("note=\"say \\\"hi\\\"\\\\\\n\"");
    }
}
