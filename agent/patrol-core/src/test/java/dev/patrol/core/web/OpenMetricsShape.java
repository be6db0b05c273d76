package dev.patrol.core.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The structural rules of OpenMetrics that promtool (a text format 0.0.4 parser) does not check: one {@code TYPE} per
 * family name, every sample named after its family with a suffix its type allows, no sample name in two families, and
 * {@code # EOF} at the end.
 */
final class OpenMetricsShape {
    private static final Map<String, List<String>> SUFFIXES = Map.of(
            "counter", List.of("_total", "_created"),
            "gauge", List.of(""),
            "histogram", List.of("_bucket", "_count", "_sum", "_created"),
            "summary", List.of("", "_count", "_sum", "_created"),
            "info", List.of("_info"),
            "unknown", List.of(""));

    private OpenMetricsShape() {}

    static void assertOneFamilyPerName(String exposition) {
        assertThat(exposition).endsWith("# EOF\n");
        Map<String, String> typeOf = new HashMap<>();
        Map<String, String> familyOfSample = new HashMap<>();
        String family = null;
        for (String line : exposition.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] words = line.split(" ");
                family = words[2];
                assertThat(typeOf.put(family, words[3]))
                        .as("second TYPE for %s", family)
                        .isNull();
            } else if (!line.startsWith("#") && !line.isEmpty()) {
                int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
                String name = line.substring(0, end);
                String own = family;
                assertThat(own).as("sample %s before any TYPE", name).isNotNull();
                assertThat(SUFFIXES.get(typeOf.get(own)))
                        .as("sample %s in family %s of type %s", name, own, typeOf.get(own))
                        .anyMatch(suffix -> name.equals(own + suffix));
                String earlier = familyOfSample.putIfAbsent(name, own);
                assertThat(earlier == null || earlier.equals(own))
                        .as("sample name %s in families %s and %s", name, earlier, own)
                        .isTrue();
            }
        }
        assertThat(Set.copyOf(familyOfSample.values())).isNotEmpty();
    }
}
