package dev.patrol.core.config;

import dev.patrol.api.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One (check, target) pair of a loaded configuration, with what shapes its series. Computed from the settings alone
 * ({@link #of(Collection)}), never at run time; the result store and the scheduler each take the whole list in one
 * {@code apply}, and both keep a pair's state and trigger across a reload exactly when {@link #sameSeriesAs} holds.
 *
 * <pre>{@code
 * List<SeriesDefinition> series = SeriesDefinition.of(settings.checks().values());
 * store.apply(series, tracker::get);
 * scheduler.apply(series);
 * }</pre>
 *
 * @param check the check, as loaded (its definition is what a fire runs)
 * @param target the target it runs against
 * @param labels the series' labels beyond check and target: the check's static labels plus the target labels it
 *     exposes, empty for a target without one, so that every series of a check has the same label names
 * @param interval the check's interval; zero for a cron check, which has no fixed interval, so that
 *     {@code patrol_check_interval_seconds} stays off its series
 */
public record SeriesDefinition(CheckSettings check, Target target, Map<String, String> labels, Duration interval) {

    public SeriesDefinition {
        labels = Map.copyOf(labels);
    }

    /** The pair of {@code check} and {@code target}. */
    public static SeriesDefinition of(CheckSettings check, Target target) {
        Map<String, String> labels = new TreeMap<>(check.labels());
        for (String name : check.exposeLabels()) {
            labels.put(name, target.labels().getOrDefault(name, ""));
        }
        return new SeriesDefinition(check, target, labels, check.cron() == null ? check.interval() : Duration.ZERO);
    }

    /** Every pair of {@code checks}, in their order and their targets' order. */
    public static List<SeriesDefinition> of(Collection<CheckSettings> checks) {
        List<SeriesDefinition> all = new ArrayList<>();
        for (CheckSettings check : checks) {
            for (Target target : check.targets()) {
                all.add(of(check, target));
            }
        }
        return List.copyOf(all);
    }

    /**
     * Whether a reload from this pair to {@code other} leaves its series and its timing as they were: same check and
     * target names, type, labels, interval, cron and timeout. The store then keeps the pair's counters and history,
     * and the scheduler its trigger (so its cadence does not jump); both run {@code other}'s check and target from
     * then on. Anything else (the command, the URL, the target's address) may differ.
     */
    public boolean sameSeriesAs(SeriesDefinition other) {
        return check.name().equals(other.check.name())
                && target.name().equals(other.target.name())
                && check.type().equals(other.check.type())
                && labels.equals(other.labels)
                && interval.equals(other.interval)
                && Objects.equals(check.cron(), other.check.cron())
                && check.timeout().equals(other.check.timeout());
    }
}
