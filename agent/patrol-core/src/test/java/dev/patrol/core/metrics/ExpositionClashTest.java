package dev.patrol.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Sample;
import dev.patrol.api.Sample.Kind;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Samples of different checks that would make the exposition invalid: one family per name, the first check wins. */
class ExpositionClashTest {
    private final ResultStore store = new ResultStore();
    private final CollectorRegistry registry = new CollectorRegistry();
    private final AgentMetrics metrics = new AgentMetrics(() -> 0);

    ExpositionClashTest() {
        metrics.register(registry);
        registry.register(new CheckCollector(store, metrics, CheckCollector.namesIn(registry)));
    }

    private String scrape() throws Exception {
        StringWriter out = new StringWriter();
        TextFormat.write004(out, registry.metricFamilySamples());
        return out.toString();
    }

    private SeriesState record(String check, Sample... samples) {
        SeriesState state = store.register(
                new SeriesKey(check, "t"), "ssh-command", Map.of(), Duration.ofSeconds(30), Duration.ofSeconds(10));
        state.record(new RunRecord(
                check,
                "t",
                Outcome.OK,
                CheckResult.ok("fine", List.of(samples)),
                Instant.ofEpochSecond(1_700_000_000),
                Duration.ofMillis(5),
                1));
        return state;
    }

    private static int count(String text, String regex) {
        Matcher matcher = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }

    private double dropped(String reason) {
        return registry.getSampleValue("patrol_samples_dropped_total", new String[] {"reason"}, new String[] {reason});
    }

    @Test
    void aCounterAndAGaugeOfOneNameMakeOneFamily() throws Exception {
        // Check b's command printed "clash_total 5" (a gauge), check a's "# TYPE clash counter" and "clash 1".
        SeriesState b = record("b", Sample.metric("patrol_sample_clash_total", Kind.GAUGE, Map.of(), 5));
        SeriesState a = record("a", Sample.metric("patrol_sample_clash_total", Kind.COUNTER, Map.of(), 1));

        String text = scrape();

        assertThat(count(text, "^# TYPE patrol_sample_clash_total ")).as(text).isEqualTo(1);
        assertThat(text).contains("# TYPE patrol_sample_clash_total counter");
        assertThat(text).contains("patrol_sample_clash_total{check=\"a\",target=\"t\",} 1.0");
        assertThat(text).doesNotContain("patrol_sample_clash_total{check=\"b\"");
        assertThat(a.unexposed()).isEmpty();
        assertThat(b.unexposed()).containsExactly(Map.entry("type_clash", 1));
    }

    @Test
    void aLeftOutSampleIsCountedOncePerRunHoweverOftenItIsScraped() throws Exception {
        record("a", Sample.metric("patrol_sample_x", Kind.COUNTER, Map.of(), 1));
        record("b", Sample.metric("patrol_sample_x", Kind.GAUGE, Map.of("k", "1"), 1));
        scrape();
        scrape();
        assertThat(dropped("type_clash")).isEqualTo(1);

        record("b", Sample.metric("patrol_sample_x", Kind.GAUGE, Map.of("k", "1"), 2));
        scrape();
        assertThat(dropped("type_clash")).isEqualTo(2);
    }

    @Test
    void namesACounterImpliesAreTaken() throws Exception {
        record("a", Sample.metric("patrol_sample_jobs", Kind.COUNTER, Map.of(), 1));
        SeriesState b = record(
                "b",
                Sample.metric("patrol_sample_jobs_created", Kind.GAUGE, Map.of(), 1),
                Sample.metric("patrol_sample_jobs", Kind.GAUGE, Map.of(), 1),
                Sample.metric("patrol_sample_other", Kind.GAUGE, Map.of(), 1));

        String text = scrape();

        assertThat(text).doesNotContain("patrol_sample_jobs_created{").doesNotContain("patrol_sample_jobs{");
        assertThat(text).contains("patrol_sample_other{check=\"b\",target=\"t\",} 1.0");
        assertThat(b.unexposed()).containsExactly(Map.entry("type_clash", 2));
    }

    @Test
    void theAgentsOwnFamiliesCannotBeTaken() throws Exception {
        SeriesState a = record(
                "a",
                Sample.metric("patrol_check_up", Kind.GAUGE, Map.of("x", "1"), 7777),
                Sample.metric("patrol_check_runs_total", Kind.COUNTER, Map.of("x", "1"), 7777),
                Sample.metric("patrol_check_flapping", Kind.GAUGE, Map.of(), 7777),
                Sample.metric("patrol_samples_dropped", Kind.COUNTER, Map.of(), 7777),
                Sample.metric("patrol_config_last_reload_successful", Kind.GAUGE, Map.of(), 7777),
                Sample.metric("patrol_scheduler_lateness_seconds_count", Kind.GAUGE, Map.of(), 7777),
                Sample.metric("patrol_scheduler_lateness_seconds_sum", Kind.COUNTER, Map.of(), 7777));

        String text = scrape();

        assertThat(text).doesNotContain(" 7777.0");
        assertThat(a.unexposed()).containsExactly(Map.entry("reserved_name", 7));
        assertThat(dropped("reserved_name")).isEqualTo(7);
    }

    @Test
    void theFirstCheckInNameOrderWinsWhateverRanFirst() throws Exception {
        record("zeta", Sample.metric("patrol_sample_v", Kind.GAUGE, Map.of(), 1));
        record("alpha", Sample.metric("patrol_sample_v", Kind.COUNTER, Map.of(), 2));
        assertThat(scrape()).contains("# TYPE patrol_sample_v_total counter").doesNotContain("patrol_sample_v{");
        assertThat(CheckCollector.namesIn(registry)).contains("patrol_samples_dropped_total");
        assertThat(store.all()).hasSize(2);
    }
}
