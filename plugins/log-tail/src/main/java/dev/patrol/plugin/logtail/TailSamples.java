package dev.patrol.plugin.logtail;

import dev.patrol.api.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The log series of one (check, target), from its counters: labelled with {@code path} as configured (the glob as
 * written, never an expanded file name), so their number is bounded by the config. Every pattern starts at 0.
 */
final class TailSamples {

    private TailSamples() {}

    static List<Sample> of(LogTailSettings settings, TailState state) {
        List<String> names = List.copyOf(settings.patterns().keySet());
        List<Sample> samples = new ArrayList<>();
        for (String path : settings.paths()) {
            TailState.Counters c = state.counters(path, names);
            Map<String, String> labels = Map.of("path", path);
            samples.add(counter("patrol_log_lines_total", labels, c.lines));
            samples.add(counter("patrol_log_bytes_total", labels, c.bytes));
            samples.add(counter("patrol_log_rotations_total", labels, c.rotations));
            samples.add(counter("patrol_log_lines_truncated_total", labels, c.truncated));
            samples.add(Sample.metric("patrol_log_lag_bytes", Sample.Kind.GAUGE, labels, c.lag));
            if (settings.forward() != null) {
                samples.add(counter("patrol_log_forwarded_lines_total", labels, c.forwarded));
                samples.add(counter("patrol_log_forward_resent_lines_total", labels, c.resent));
                for (dev.patrol.api.Reason reason : SpoolForwarding.FAILURE_REASONS) {
                    samples.add(counter(
                            "patrol_log_forward_failures_total",
                            Map.of("path", path, "reason", reason.label()),
                            c.forwardFailures.getOrDefault(reason.label(), 0L)));
                }
            }
            for (String name : names) {
                samples.add(counter(
                        "patrol_log_pattern_matches_total",
                        Map.of("path", path, "pattern", name),
                        c.matches.getOrDefault(name, 0L)));
            }
        }
        return samples;
    }

    private static Sample counter(String name, Map<String, String> labels, long value) {
        return Sample.metric(name, Sample.Kind.COUNTER, labels, value);
    }
}
