package dev.patrol.core.metrics;

import dev.patrol.api.Reason;
import dev.patrol.api.Sample;
import dev.patrol.core.engine.Outcome;
import dev.patrol.core.engine.RunRecord;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.SeriesState;
import dev.patrol.core.state.SkipReason;
import io.prometheus.client.Collector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes every per-check series at scrape time from the {@link ResultStore}: state gauges, run and skip counters,
 * the failure reason and the samples checks extracted. Because nothing is registered per check, a pair that a reload
 * removes disappears from the next scrape, and a new pair appears with all its counters at zero.
 *
 * <p>Thread-safe: it only reads the store's thread-safe state.
 */
public final class CheckCollector extends Collector {
    private final ResultStore store;

    public CheckCollector(ResultStore store) {
        this.store = store;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        Families families = new Families();
        for (SeriesState series : store.all()) {
            SeriesLabels labels = SeriesLabels.of(series);
            families.counters(series, labels);
            families.gauge(
                    "patrol_check_timeout_seconds",
                    "Deadline of one attempt of the check.",
                    labels,
                    series.timeout().toMillis() / 1000.0);
            if (!series.interval().isZero()) {
                families.gauge(
                        "patrol_check_interval_seconds",
                        "How often the check runs against the target; absent for cron-scheduled checks.",
                        labels,
                        series.interval().toMillis() / 1000.0);
            }
            Optional<RunRecord> last = series.last();
            if (last.isPresent()) {
                families.lastRun(last.get(), labels);
            }
        }
        return families.all();
    }

    /** Collects samples into families in first-seen order, each family with one type. */
    private static final class Families {
        private final Map<String, MetricFamilySamples> byName = new LinkedHashMap<>();

        void counters(SeriesState series, SeriesLabels labels) {
            for (Outcome outcome : Outcome.values()) {
                add(
                        "patrol_check_runs",
                        Type.COUNTER,
                        "Finished runs of the check, by result.",
                        "patrol_check_runs_total",
                        labels.with("result", outcome.label()),
                        series.runs(outcome));
            }
            for (SkipReason reason : SkipReason.values()) {
                add(
                        "patrol_check_skipped",
                        Type.COUNTER,
                        "Scheduled runs not started: overlap (the previous run was still going) or limit (a"
                                + " concurrency limit was full).",
                        "patrol_check_skipped_total",
                        labels.with("reason", reason.label()),
                        series.skips(reason));
            }
        }

        void lastRun(RunRecord run, SeriesLabels labels) {
            var result = run.result();
            gauge(
                    "patrol_check_up",
                    "1 if the last run was OK or WARNING, else 0.",
                    labels,
                    result.status().isUp() ? 1 : 0);
            gauge(
                    "patrol_check_status",
                    "Status of the last run: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
                    labels,
                    result.status().code());
            gauge(
                    "patrol_check_duration_seconds",
                    "Duration of the last run, retries included.",
                    labels,
                    run.duration().toNanos() / 1e9);
            gauge(
                    "patrol_check_last_run_timestamp_seconds",
                    "When the last run started, in seconds since the epoch.",
                    labels,
                    run.startedAt().toEpochMilli() / 1000.0);
            if (result.reason() != Reason.NONE) {
                gauge(
                        "patrol_check_failure_reason",
                        "Set to 1 with the reason of the last run when it did not pass; absent when it passed.",
                        labels.with("reason", result.reason().label()),
                        1);
            }
            for (Sample sample : result.samples()) {
                boolean counter = sample.kind() == Sample.Kind.COUNTER;
                String family = counter ? stripTotal(sample.name()) : sample.name();
                String sampleName = counter ? family + "_total" : sample.name();
                add(
                        family,
                        counter ? Type.COUNTER : Type.GAUGE,
                        "Value extracted by a Patrol check.",
                        sampleName,
                        labels.withAll(sample.labels()),
                        sample.value());
            }
        }

        void gauge(String name, String help, SeriesLabels labels, double value) {
            add(name, Type.GAUGE, help, name, labels, value);
        }

        private void add(String family, Type type, String help, String sampleName, SeriesLabels labels, double value) {
            MetricFamilySamples samples = byName.computeIfAbsent(
                    family, name -> new MetricFamilySamples(name, type, help, new ArrayList<>()));
            if (samples.type != type) {
                return; // a sample that reuses a name with another type would make the exposition invalid
            }
            samples.samples.add(new MetricFamilySamples.Sample(sampleName, labels.names(), labels.values(), value));
        }

        List<MetricFamilySamples> all() {
            return new ArrayList<>(byName.values());
        }

        private static String stripTotal(String name) {
            return name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
        }
    }
}
