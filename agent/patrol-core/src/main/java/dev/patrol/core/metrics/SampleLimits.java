package dev.patrol.core.metrics;

import dev.patrol.api.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The bounds on what one run may expose ({@link Sample#MAX_PER_RUN} and the name and label bounds beside it), applied
 * when the run ends, before the result is kept: a sample over a bound is left out whole, and the run's summary says
 * so. Stateless and thread-safe.
 *
 * <pre>{@code
 * SampleLimits.Applied applied = SampleLimits.apply(result.samples());
 * applied.dropped();   // {LABEL_TOO_LONG=1}
 * }</pre>
 */
public final class SampleLimits {

    /**
     * The samples kept, in order, and how many were left out by reason.
     *
     * @param dropped only reasons with a count above zero
     */
    public record Applied(List<Sample> kept, Map<DropReason, Integer> dropped) {
        public Applied {
            kept = List.copyOf(kept);
            dropped = Collections.unmodifiableMap(new EnumMap<>(dropped));
        }

        /** A note for the summary, e.g. {@code "2 samples dropped by Patrol: 1 label_too_long, 1 over_limit"}. */
        public String note() {
            int total = dropped.values().stream().mapToInt(Integer::intValue).sum();
            StringJoiner reasons = new StringJoiner(", ");
            dropped.forEach((reason, count) -> reasons.add(count + " " + reason.label()));
            return total + (total == 1 ? " sample" : " samples") + " dropped by Patrol: " + reasons;
        }
    }

    private SampleLimits() {}

    public static Applied apply(List<Sample> samples) {
        List<Sample> kept = new ArrayList<>(Math.min(samples.size(), Sample.MAX_PER_RUN));
        Map<DropReason, Integer> dropped = new EnumMap<>(DropReason.class);
        Set<List<Object>> seen = new HashSet<>();
        for (Sample sample : samples) {
            DropReason reason = check(sample);
            if (reason == null && !seen.add(List.of(exposedName(sample), sample.labels()))) {
                reason = DropReason.DUPLICATE;
            }
            if (reason == null && kept.size() >= Sample.MAX_PER_RUN) {
                reason = DropReason.OVER_LIMIT;
            }
            if (reason == null) {
                kept.add(sample);
            } else {
                dropped.merge(reason, 1, Integer::sum);
            }
        }
        return new Applied(kept, dropped);
    }

    /** The name a sample has on {@code /metrics}: a counter's with {@code _total}, whether or not it was given. */
    static String exposedName(Sample sample) {
        String name = sample.name();
        return sample.kind() == Sample.Kind.COUNTER && !name.endsWith("_total") ? name + "_total" : name;
    }

    private static DropReason check(Sample sample) {
        boolean noFamilyName =
                sample.kind() == Sample.Kind.COUNTER && exposedName(sample).equals("_total");
        if (sample.name().length() > Sample.MAX_NAME_CHARS || noFamilyName) {
            return DropReason.INVALID_NAME;
        }
        if (sample.labels().size() > Sample.MAX_LABELS) {
            return DropReason.TOO_MANY_LABELS;
        }
        for (Map.Entry<String, String> label : sample.labels().entrySet()) {
            if (label.getKey().length() > Sample.MAX_LABEL_NAME_CHARS
                    || label.getValue().length() > Sample.MAX_LABEL_VALUE_CHARS) {
                return DropReason.LABEL_TOO_LONG;
            }
        }
        return null;
    }
}
