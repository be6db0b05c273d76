package dev.patrol.core.action;

import dev.patrol.api.Target;
import dev.patrol.core.config.ActionSettings;
import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The action series: {@code patrol_action_runs_total{action,target,result}},
 * {@code patrol_action_suppressed_total{action,target,reason}}, {@code patrol_action_last_run_timestamp_seconds}
 * and {@code patrol_actions_enabled}. Every result and reason of every (action, target) is pre-set to zero when the
 * action is configured, and removed when a reload removes it.
 *
 * <p>Thread-safe.
 */
public final class ActionMetrics extends Collector {
    private record Counts(Map<RunResult, LongAdder> runs, Map<Suppression, LongAdder> suppressed) {}

    private final Map<GuardBook.Key, Counts> counts = new ConcurrentHashMap<>();
    private final Map<GuardBook.Key, Double> lastRun = new ConcurrentHashMap<>();
    private final Supplier<Path> killSwitch;

    /** @param killSwitch the kill-switch file in force, looked at on every scrape */
    public ActionMetrics(Supplier<Path> killSwitch) {
        this.killSwitch = killSwitch;
    }

    /** Pre-sets every (action, target) of {@code actions} and drops the rest. */
    public void configure(Collection<ActionSettings> actions) {
        Set<GuardBook.Key> keep = ConcurrentHashMap.newKeySet();
        for (ActionSettings action : actions) {
            for (Target target : action.targets()) {
                GuardBook.Key key = new GuardBook.Key(action.name(), target.name());
                keep.add(key);
                counts.computeIfAbsent(key, k -> newCounts());
            }
        }
        counts.keySet().retainAll(keep);
        lastRun.keySet().retainAll(keep);
    }

    void ran(GuardBook.Key key, RunResult result, long epochMillis) {
        Counts pair = counts.computeIfAbsent(key, k -> newCounts());
        pair.runs().get(result).increment();
        if (result != RunResult.DRY_RUN) {
            lastRun.put(key, epochMillis / 1000.0);
        }
    }

    void suppressed(GuardBook.Key key, Suppression reason) {
        counts.computeIfAbsent(key, k -> newCounts()).suppressed().get(reason).increment();
    }

    /** For tests and the status page: runs of one pair with one result. */
    public long runs(String action, String target, RunResult result) {
        Counts pair = counts.get(new GuardBook.Key(action, target));
        return pair == null ? 0 : pair.runs().get(result).sum();
    }

    public long suppressed(String action, String target, Suppression reason) {
        Counts pair = counts.get(new GuardBook.Key(action, target));
        return pair == null ? 0 : pair.suppressed().get(reason).sum();
    }

    private static Counts newCounts() {
        Map<RunResult, LongAdder> runs = new ConcurrentHashMap<>();
        for (RunResult result : RunResult.values()) {
            runs.put(result, new LongAdder());
        }
        Map<Suppression, LongAdder> suppressed = new ConcurrentHashMap<>();
        for (Suppression reason : Suppression.values()) {
            suppressed.put(reason, new LongAdder());
        }
        return new Counts(runs, suppressed);
    }

    @Override
    public List<MetricFamilySamples> collect() {
        CounterMetricFamily runs = new CounterMetricFamily(
                "patrol_action_runs_total",
                "Action runs by result: success, failure, timeout, dry_run.",
                List.of("action", "target", "result"));
        CounterMetricFamily suppressed = new CounterMetricFamily(
                "patrol_action_suppressed_total",
                "Action runs a guardrail refused, by reason.",
                List.of("action", "target", "reason"));
        GaugeMetricFamily last = new GaugeMetricFamily(
                "patrol_action_last_run_timestamp_seconds",
                "When the action last ran against the target (dry runs excluded).",
                List.of("action", "target"));
        new java.util.TreeMap<>(counts).forEach((key, pair) -> {
            for (RunResult result : RunResult.values()) {
                runs.addMetric(
                        List.of(key.action(), key.target(), result.label()),
                        pair.runs().get(result).sum());
            }
            for (Suppression reason : Suppression.values()) {
                suppressed.addMetric(
                        List.of(key.action(), key.target(), reason.label()),
                        pair.suppressed().get(reason).sum());
            }
            Double at = lastRun.get(key);
            if (at != null) {
                last.addMetric(List.of(key.action(), key.target()), at);
            }
        });
        GaugeMetricFamily enabled = new GaugeMetricFamily(
                "patrol_actions_enabled", "0 while the kill-switch file exists, else 1.", List.of());
        enabled.addMetric(List.of(), ActionGuard.killSwitchOn(killSwitch.get()) ? 0 : 1);
        return List.of(runs, suppressed, last, enabled);
    }
}
