package dev.patrol.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Status;
import dev.patrol.core.config.MetricsDetail;
import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.PairState;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.RunRecord;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.state.SeriesState;
import dev.patrol.core.state.SkipReason;
import dev.patrol.core.state.StateType;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.CollectorRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which families and series {@code patrol.metrics.detail} exposes per pair and per check at each level. */
class MetricsDetailTest {
    private static final int TARGETS = 3;

    private final ResultStore store = new ResultStore();
    private final AtomicReference<MetricsDetail> detail = new AtomicReference<>(MetricsDetail.STANDARD);
    private final CollectorRegistry registry = new CollectorRegistry();

    MetricsDetailTest() {
        registry.register(new StateCollector(store, detail::get));
        registry.register(new CheckCollector(store, null, java.util.Set.of(), detail::get));
        for (int i = 1; i <= TARGETS; i++) {
            String target = "web-" + i;
            SeriesState pair = store.register(
                    new SeriesKey("homepage", target),
                    "http",
                    Map.of("team", "shop"),
                    Duration.ofSeconds(15),
                    Duration.ofSeconds(5));
            // web-1 fails, the others pass; each ran twice and was skipped once.
            Status status = i == 1 ? Status.CRITICAL : Status.OK;
            Reason reason = i == 1 ? Reason.CONNECTION_REFUSED : Reason.NONE;
            for (int run = 0; run < 2; run++) {
                pair.record(new RunRecord(
                        "homepage",
                        target,
                        Outcome.of(status),
                        new CheckResult(status, reason, "", "", List.of()),
                        Instant.ofEpochSecond(1_700_000_000),
                        Duration.ofMillis(20),
                        1));
            }
            pair.recordSkip(SkipReason.OVERLAP);
            pair.hardSoft(new PairState(status, StateType.HARD, 1, 1, status, List.of(status), false, 0));
        }
    }

    /** Series count by family name, and the label names each family's series carry. */
    private Map<String, List<List<String>>> scrape(MetricsDetail level) {
        detail.set(level);
        Map<String, List<List<String>>> byName = new TreeMap<>();
        for (MetricFamilySamples family : Collections.list(registry.metricFamilySamples())) {
            for (MetricFamilySamples.Sample sample : family.samples) {
                byName.computeIfAbsent(sample.name, name -> new ArrayList<>()).add(sample.labelNames);
            }
        }
        return byName;
    }

    private static int total(Map<String, List<List<String>>> series) {
        return series.values().stream().mapToInt(List::size).sum();
    }

    @Test
    void fullExposesEveryFamilyPerPair() {
        Map<String, List<List<String>>> series = scrape(MetricsDetail.FULL);

        assertThat(series.get("patrol_check_timeout_seconds")).hasSize(TARGETS);
        assertThat(series.get("patrol_check_interval_seconds")).hasSize(TARGETS);
        assertThat(series.get("patrol_check_runs_total")).hasSize(TARGETS * Outcome.values().length);
        assertThat(series.get("patrol_check_skipped_total")).hasSize(TARGETS * SkipReason.values().length);
        // 19 per pair, plus the one failing pair's reason.
        assertThat(total(series)).isEqualTo(19 * TARGETS + 1);
    }

    @Test
    void standardExposesTimeoutAndIntervalOncePerCheckLabelledCheckOnly() {
        Map<String, List<List<String>>> series = scrape(MetricsDetail.STANDARD);

        assertThat(series.get("patrol_check_timeout_seconds")).containsExactly(List.of("check"));
        assertThat(series.get("patrol_check_interval_seconds")).containsExactly(List.of("check"));
        assertThat(series.get("patrol_check_runs_total")).hasSize(TARGETS * Outcome.values().length);
        assertThat(series.get("patrol_check_up")).allMatch(labels -> labels.contains("target"));
        assertThat(series)
                .containsKeys(
                        "patrol_check_duration_seconds",
                        "patrol_check_hard_status",
                        "patrol_check_state_type",
                        "patrol_check_flapping");
        assertThat(total(series)).isEqualTo(17 * TARGETS + 2 + 1);
    }

    @Test
    void minimalKeepsWhatAlertRulesReadPerPairAndSumsCountersPerCheck() {
        Map<String, List<List<String>>> series = scrape(MetricsDetail.MINIMAL);

        assertThat(series.keySet())
                .containsExactlyInAnyOrder(
                        "patrol_check_up",
                        "patrol_check_status",
                        "patrol_check_last_run_timestamp_seconds",
                        "patrol_check_failure_reason",
                        "patrol_check_timeout_seconds",
                        "patrol_check_interval_seconds",
                        "patrol_check_runs_total",
                        "patrol_check_skipped_total");
        assertThat(series.get("patrol_check_up")).hasSize(TARGETS);
        assertThat(series.get("patrol_check_runs_total"))
                .hasSize(Outcome.values().length)
                .allMatch(labels -> labels.equals(List.of("check", "result")));
        assertThat(total(series)).isEqualTo(3 * TARGETS + 12 + 1);
    }

    @Test
    void minimalCountersAreTheSumsOverTheCheckTargets() {
        detail.set(MetricsDetail.MINIMAL);

        assertThat(registry.getSampleValue(
                        "patrol_check_runs_total", new String[] {"check", "result"}, new String[] {"homepage", "ok"}))
                .isEqualTo(4.0);
        assertThat(registry.getSampleValue("patrol_check_runs_total", new String[] {"check", "result"}, new String[] {
                    "homepage", "critical"
                }))
                .isEqualTo(2.0);
        assertThat(registry.getSampleValue(
                        "patrol_check_skipped_total",
                        new String[] {"check", "reason"},
                        new String[] {"homepage", "overlap"}))
                .isEqualTo(3.0);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(MetricsDetail.class)
    void everyLevelKeepsTheSeriesTheAlertRulesRead(MetricsDetail level) {
        Map<String, List<List<String>>> series = scrape(level);

        assertThat(series.get("patrol_check_up")).hasSize(TARGETS);
        assertThat(series.get("patrol_check_status")).hasSize(TARGETS);
        assertThat(series.get("patrol_check_last_run_timestamp_seconds")).hasSize(TARGETS);
        assertThat(series.get("patrol_check_failure_reason"))
                .singleElement()
                .isEqualTo(List.of("check", "target", "team", "reason"));
        assertThat(series).containsKeys("patrol_check_interval_seconds", "patrol_check_timeout_seconds");
        assertThat(series.get("patrol_check_skipped_total")).isNotEmpty();
    }

    @Test
    void aChangedLevelTakesEffectAtTheNextScrape() {
        assertThat(scrape(MetricsDetail.FULL)).containsKey("patrol_check_hard_status");
        assertThat(scrape(MetricsDetail.MINIMAL)).doesNotContainKey("patrol_check_hard_status");
    }
}
