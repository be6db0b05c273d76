package dev.patrol.plugin.sshcommand;

import dev.patrol.api.Sample;
import dev.patrol.plugin.sshcommand.PerfdataParser.Item;
import dev.patrol.plugin.sshcommand.SshCommandSettings.PerfdataLimits;
import dev.patrol.plugin.sshcommand.UnitNormalizer.Unit;
import java.util.List;
import java.util.Map;

/**
 * Turns perfdata items into samples: {@code patrol_sample_[<prefix>_]<label>[_<unit>]}, the value in base units
 * (see {@link UnitNormalizer}), and with {@code perfdata-limits} also {@code <label>_max[_<unit>]} and
 * {@code <label>_min[_<unit>]} as gauges. An item whose value is {@code U} yields nothing. Stateless and thread-safe.
 *
 * <pre>{@code
 * // "/=2643MB;5948;5958;0;5968" with perfdata-limits = max:
 * //   patrol_sample_root_bytes 2.771386368E9, patrol_sample_root_max_bytes 6.257901568E9
 * }</pre>
 */
final class PerfdataSamples {

    private PerfdataSamples() {}

    /** Adds the samples of {@code items} to {@code samples}; describes each item left out in {@code problems}. */
    static void addTo(
            SampleSet samples, List<Item> items, String prefix, PerfdataLimits limits, List<String> problems) {
        for (Item item : items) {
            if (item.value() == null) {
                continue;
            }
            String label = SampleNames.perfdataLabel(item.label());
            if (label.isEmpty()) {
                problems.add("label " + PerfdataParser.quote(item.label()) + " has no letter or digit to name it by");
                continue;
            }
            Unit unit = UnitNormalizer.of(item.uom());
            if (unit.kind() == Sample.Kind.COUNTER && item.value() < 0) {
                problems.add("counter " + PerfdataParser.quote(item.label()) + " is negative");
                continue;
            }
            samples.add(
                    sample(SampleNames.join(prefix, label, unit.suffix()), unit.kind(), unit.normalize(item.value())));
            // A counter's limits are not counters themselves: they are exposed as plain gauges, without _total.
            String limitSuffix = unit.kind() == Sample.Kind.COUNTER ? "" : unit.suffix();
            if (limits != PerfdataLimits.NONE && item.max() != null) {
                samples.add(gauge(SampleNames.join(prefix, label, "max", limitSuffix), unit.normalize(item.max())));
            }
            if (limits == PerfdataLimits.MIN_MAX && item.min() != null) {
                samples.add(gauge(SampleNames.join(prefix, label, "min", limitSuffix), unit.normalize(item.min())));
            }
        }
    }

    private static Sample gauge(String name, double value) {
        return sample(name, Sample.Kind.GAUGE, value);
    }

    private static Sample sample(String name, Sample.Kind kind, double value) {
        return Sample.metric(SampleNames.metricName(name), kind, Map.of(), value);
    }
}
