package dev.patrol.core.metrics;

import dev.patrol.api.Reason;
import dev.patrol.api.Sample;
import dev.patrol.core.config.MetricsDetail;
import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.RunRecord;
import dev.patrol.core.state.SeriesState;
import dev.patrol.core.state.SkipReason;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Computes every per-check series at scrape time from the {@link ResultStore}: state gauges, run and skip counters,
 * the failure reason and the samples checks extracted. Because nothing is registered per check, a pair that a reload
 * removes disappears from the next scrape, and a new pair appears with all its counters at zero. How many of these
 * series each pair costs is {@code patrol.metrics.detail} ({@link MetricsDetail}), read at every scrape so that a
 * reload changes it.
 *
 * <p>Samples of different checks meet here, so this is where the exposition is kept valid (see {@link FamilyTable}):
 * a sample whose name is taken by a family of another type, or by one of the agent's own families, is left out, noted
 * on its series for the status page and counted once per run in {@code patrol_samples_dropped_total}.
 *
 * <p>Thread-safe: it only reads the store's thread-safe state.
 */
public final class CheckCollector extends Collector {
    private final ResultStore store;
    private final AgentMetrics metrics;
    private final Set<String> reserved;
    private final Supplier<MetricsDetail> detail;

    /** A collector at the full detail that reserves only the {@code patrol_check_*} names and counts no drops. */
    public CheckCollector(ResultStore store) {
        this(store, null, Set.of(), () -> MetricsDetail.FULL);
    }

    /** A collector at the full detail; see {@link #CheckCollector(ResultStore, AgentMetrics, Set, Supplier)}. */
    public CheckCollector(ResultStore store, AgentMetrics metrics, Set<String> reserved) {
        this(store, metrics, reserved, () -> MetricsDetail.FULL);
    }

    /**
     * @param metrics where left-out samples are counted; null for none
     * @param reserved the sample names of the agent's other collectors, see {@link #namesIn}
     * @param detail {@code patrol.metrics.detail} in force, read at every scrape
     */
    public CheckCollector(
            ResultStore store, AgentMetrics metrics, Set<String> reserved, Supplier<MetricsDetail> detail) {
        this.store = store;
        this.metrics = metrics;
        this.reserved = Set.copyOf(reserved);
        this.detail = detail;
    }

    /** Every sample name the families registered in {@code registry} so far may expose. */
    public static Set<String> namesIn(CollectorRegistry registry) {
        Set<String> names = new HashSet<>();
        for (MetricFamilySamples family : Collections.list(registry.metricFamilySamples())) {
            names.addAll(List.of(family.getNames()));
            family.samples.forEach(sample -> names.add(sample.name));
        }
        return names;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        MetricsDetail level = detail.get();
        FamilyTable families = new FamilyTable(reserved);
        List<SeriesState> all = store.all();
        // The agent's own families first, so that no check's sample can take one of their names.
        for (List<SeriesState> check : byCheck(all)) {
            core(families, check, level);
        }
        for (SeriesState series : all) {
            Optional<RunRecord> last = series.last();
            if (last.isPresent()) {
                samples(families, series, last.get(), SeriesLabels.of(series));
            }
        }
        return families.all();
    }

    /** The pairs of {@code all} (sorted by check, then target) grouped by check, in that order. */
    private static Collection<List<SeriesState>> byCheck(List<SeriesState> all) {
        Map<String, List<SeriesState>> checks = new LinkedHashMap<>();
        for (SeriesState series : all) {
            checks.computeIfAbsent(series.key().check(), name -> new ArrayList<>())
                    .add(series);
        }
        return checks.values();
    }

    /** The core families of one check's pairs, per pair or per check as {@code level} says. */
    private static void core(FamilyTable families, List<SeriesState> pairs, MetricsDetail level) {
        SeriesState first = pairs.get(0);
        SeriesLabels checkOnly = SeriesLabels.ofCheck(first.key().check());
        List<SeriesLabels> labels = pairs.stream().map(SeriesLabels::of).toList();
        if (level.perPairCounters()) {
            for (int i = 0; i < pairs.size(); i++) {
                counters(families, labels.get(i), pairs.get(i)::runs, pairs.get(i)::skips);
            }
        } else {
            counters(
                    families,
                    checkOnly,
                    outcome ->
                            pairs.stream().mapToLong(pair -> pair.runs(outcome)).sum(),
                    reason ->
                            pairs.stream().mapToLong(pair -> pair.skips(reason)).sum());
        }
        if (level.perPairSettings()) {
            for (int i = 0; i < pairs.size(); i++) {
                settings(families, pairs.get(i), labels.get(i));
            }
        } else {
            // Timeout and interval are the check's own, the same for every target: one series for all of them.
            settings(families, first, checkOnly);
        }
        for (int i = 0; i < pairs.size(); i++) {
            Optional<RunRecord> last = pairs.get(i).last();
            if (last.isPresent()) {
                lastRun(families, last.get(), labels.get(i), level);
            }
        }
    }

    private static void counters(
            FamilyTable families, SeriesLabels labels, ToLongFunction<Outcome> runs, ToLongFunction<SkipReason> skips) {
        for (Outcome outcome : Outcome.values()) {
            families.core(
                    "patrol_check_runs",
                    Type.COUNTER,
                    "Finished runs of the check, by result.",
                    "patrol_check_runs_total",
                    labels.with("result", outcome.label()),
                    runs.applyAsLong(outcome));
        }
        for (SkipReason reason : SkipReason.values()) {
            families.core(
                    "patrol_check_skipped",
                    Type.COUNTER,
                    "Scheduled runs not started: overlap (the previous run was still going), limit (a"
                            + " concurrency limit was full), rate_limit (no rate-limit token in time, or a"
                            + " Retry-After pause) or agent_busy (the run ran out of time in the agent's own SSH"
                            + " handshake or channel queue, or the agent could not run for half its timeout).",
                    "patrol_check_skipped_total",
                    labels.with("reason", reason.label()),
                    skips.applyAsLong(reason));
        }
    }

    private static void settings(FamilyTable families, SeriesState series, SeriesLabels labels) {
        gauge(
                families,
                "patrol_check_timeout_seconds",
                "Deadline of one attempt of the check.",
                labels,
                series.timeout().toMillis() / 1000.0);
        if (!series.interval().isZero()) {
            gauge(
                    families,
                    "patrol_check_interval_seconds",
                    "How often the check runs against each target; absent for cron-scheduled checks.",
                    labels,
                    series.interval().toMillis() / 1000.0);
        }
    }

    private static void lastRun(FamilyTable families, RunRecord run, SeriesLabels labels, MetricsDetail level) {
        var result = run.result();
        gauge(
                families,
                "patrol_check_up",
                "1 if the last run was OK or WARNING, else 0.",
                labels,
                result.status().isUp() ? 1 : 0);
        gauge(
                families,
                "patrol_check_status",
                "Status of the last run: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
                labels,
                result.status().code());
        if (level.perPairDetail()) {
            gauge(
                    families,
                    "patrol_check_duration_seconds",
                    "Duration of the last run, retries included.",
                    labels,
                    run.duration().toNanos() / 1e9);
        }
        gauge(
                families,
                "patrol_check_last_run_timestamp_seconds",
                "When the last run started, in seconds since the epoch.",
                labels,
                run.startedAt().toEpochMilli() / 1000.0);
        if (result.reason() != Reason.NONE) {
            gauge(
                    families,
                    "patrol_check_failure_reason",
                    "Set to 1 with the reason of the last run when it did not pass; absent when it passed.",
                    labels.with("reason", result.reason().label()),
                    1);
        }
    }

    private void samples(FamilyTable families, SeriesState series, RunRecord run, SeriesLabels labels) {
        Map<String, Integer> dropped = new TreeMap<>();
        for (Sample sample : run.result().samples()) {
            DropReason reason = families.sample(sample, labels);
            if (reason != null) {
                dropped.merge(reason.label(), 1, Integer::sum);
            }
        }
        Map<String, Integer> news = series.noteUnexposed(run, dropped);
        if (metrics != null) {
            news.forEach(metrics::samplesDropped);
        }
    }

    private static void gauge(FamilyTable families, String name, String help, SeriesLabels labels, double value) {
        families.core(name, Type.GAUGE, help, name, labels, value);
    }
}
