package dev.patrol.core.metrics;

import dev.patrol.api.Sample;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The families of one scrape of {@link CheckCollector}, kept valid whatever the checks return: one family per name,
 * one type per family, and no sample name that two families could both claim. A counter {@code x} claims {@code x},
 * {@code x_total} and {@code x_created}; a gauge claims its own name; names of the agent's other families (passed in)
 * and every {@code patrol_check_*} name are the agent's own. A check's sample that would break one of these rules is
 * left out and the reason returned, so the first family to claim a name keeps it: callers add the agent's own
 * families first, then the samples of checks in check name order, so that the exposition does not flap.
 *
 * <p>Not thread-safe; one per scrape.
 */
final class FamilyTable {
    /** The namespace of the per-check series the agent computes itself; no check's sample may use it. */
    static final String CORE_PREFIX = "patrol_check_";

    private static final String SAMPLE_HELP = "Value extracted by a Patrol check.";

    private final Set<String> reserved;
    private final Map<String, MetricFamilySamples> byName = new LinkedHashMap<>();
    private final Set<String> coreFamilies = new HashSet<>();
    private final Map<String, String> claims = new HashMap<>();
    private final Set<List<Object>> series = new HashSet<>();

    /** @param reserved every sample name the agent's other collectors may expose */
    FamilyTable(Set<String> reserved) {
        this.reserved = reserved;
    }

    /** Adds a sample of one of the agent's own families (a {@code patrol_check_*} family). */
    void core(String family, Type type, String help, String sampleName, SeriesLabels labels, double value) {
        MetricFamilySamples samples = byName.get(family);
        if (samples == null) {
            coreFamilies.add(family);
            samples = claim(family, type, help);
        }
        samples.samples.add(new MetricFamilySamples.Sample(sampleName, labels.names(), labels.values(), value));
    }

    /** Adds a check's sample with the labels of its series; returns null when it was added, else why not. */
    DropReason sample(Sample sample, SeriesLabels labels) {
        boolean counter = sample.kind() == Sample.Kind.COUNTER;
        Type type = counter ? Type.COUNTER : Type.GAUGE;
        String sampleName = SampleLimits.exposedName(sample);
        String family = counter ? sampleName.substring(0, sampleName.length() - "_total".length()) : sampleName;
        if (family.isEmpty()) {
            return DropReason.INVALID_NAME;
        }
        MetricFamilySamples samples = byName.get(family);
        if (samples == null) {
            DropReason refused = refuse(family, type);
            if (refused != null) {
                return refused;
            }
            samples = claim(family, type, SAMPLE_HELP);
        } else if (coreFamilies.contains(family)) {
            return DropReason.RESERVED_NAME;
        } else if (samples.type != type) {
            return DropReason.TYPE_CLASH;
        }
        SeriesLabels all = labels.withAll(sample.labels());
        if (!series.add(List.of(sampleName, all.names(), all.values()))) {
            return DropReason.DUPLICATE;
        }
        samples.samples.add(new MetricFamilySamples.Sample(sampleName, all.names(), all.values(), sample.value()));
        return null;
    }

    List<MetricFamilySamples> all() {
        return new ArrayList<>(byName.values());
    }

    /** Why a new family {@code family} of {@code type} may not be added, or null when it may. */
    private DropReason refuse(String family, Type type) {
        DropReason refused = null;
        for (String name : names(family, type)) {
            if (name.startsWith(CORE_PREFIX) || reserved.contains(name) || coreFamilies.contains(claims.get(name))) {
                return DropReason.RESERVED_NAME;
            }
            if (claims.containsKey(name)) {
                refused = DropReason.TYPE_CLASH;
            }
        }
        return refused;
    }

    private MetricFamilySamples claim(String family, Type type, String help) {
        for (String name : names(family, type)) {
            claims.putIfAbsent(name, family);
        }
        MetricFamilySamples samples = new MetricFamilySamples(family, type, help, new ArrayList<>());
        byName.put(family, samples);
        return samples;
    }

    /** The sample names a family may expose, in the text format or in OpenMetrics. */
    private static List<String> names(String family, Type type) {
        return type == Type.COUNTER ? List.of(family, family + "_total", family + "_created") : List.of(family);
    }
}
