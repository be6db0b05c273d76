package dev.patrol.core.metrics;

import dev.patrol.core.config.MetricsDetail;
import dev.patrol.core.state.PairState;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.SeriesState;
import io.prometheus.client.Collector;
import io.prometheus.client.GaugeMetricFamily;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The soft/hard state gauges of every pair that has a result, computed at scrape time from the {@link ResultStore}:
 * {@code patrol_check_hard_status}, {@code patrol_check_state_type} and {@code patrol_check_flapping}.
 *
 * <p>Thread-safe: it only reads the store.
 */
public final class StateCollector extends Collector {
    private final ResultStore store;
    private final Supplier<MetricsDetail> detail;

    /** Exposes the state families at every detail level. */
    public StateCollector(ResultStore store) {
        this(store, () -> MetricsDetail.FULL);
    }

    /** @param detail {@code patrol.metrics.detail} in force: the families are left out at {@code minimal} */
    public StateCollector(ResultStore store, Supplier<MetricsDetail> detail) {
        this.store = store;
        this.detail = detail;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        if (!detail.get().perPairDetail()) {
            return List.of();
        }
        GaugeMetricFamily hard = null;
        GaugeMetricFamily type = null;
        GaugeMetricFamily flapping = null;
        for (SeriesState series : store.all()) {
            Optional<PairState> state = series.hardSoft();
            if (state.isEmpty()) {
                continue;
            }
            SeriesLabels labels = SeriesLabels.of(series);
            if (hard == null) {
                hard = new GaugeMetricFamily(
                        "patrol_check_hard_status",
                        "Status of the last hard state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
                        labels.names());
                type = new GaugeMetricFamily(
                        "patrol_check_state_type",
                        "Whether the current state is soft (0, not yet max-attempts results in a row) or hard (1).",
                        labels.names());
                flapping = new GaugeMetricFamily(
                        "patrol_check_flapping",
                        "1 while the pair is flapping (too many state changes over its last 21 results).",
                        labels.names());
            }
            PairState pair = state.get();
            // Series of different checks may carry different label names; each family keeps one sample per series.
            hard.samples.add(
                    sample("patrol_check_hard_status", labels, pair.hardStatus().code()));
            type.samples.add(
                    sample("patrol_check_state_type", labels, pair.type().code()));
            flapping.samples.add(sample("patrol_check_flapping", labels, pair.flapping() ? 1 : 0));
        }
        return hard == null ? List.of() : List.of(hard, type, flapping);
    }

    private static MetricFamilySamples.Sample sample(String name, SeriesLabels labels, double value) {
        return new MetricFamilySamples.Sample(name, labels.names(), labels.values(), value);
    }
}
