package dev.patrol.e2e;

import java.util.Set;
import java.util.TreeSet;

/**
 * The series names a PromQL expression can select from one scrape: every sample name, and for each declared family
 * the names its type implies even before it has a sample (a labelled counter nobody incremented yet, such as
 * {@code patrol_plugin_errors_total}, has {@code # TYPE} but no sample line).
 *
 * <p>Stateless and thread-safe.
 */
final class MonitoringExposition {
    private MonitoringExposition() {}

    /** The selectable names of a text-format 0.0.4 exposition. */
    static Set<String> seriesNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                names.addAll(implied(parts[2], parts.length > 3 ? parts[3] : "untyped"));
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int end = 0;
                while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                    end++;
                }
                names.add(line.substring(0, end));
            }
        }
        return names;
    }

    private static Set<String> implied(String family, String type) {
        return switch (type) {
            case "histogram" -> Set.of(family + "_bucket", family + "_sum", family + "_count");
            case "summary" -> Set.of(family, family + "_sum", family + "_count");
                // simpleclient names a counter's family with or without _total depending on the format.
            case "counter" -> Set.of(family.endsWith("_total") ? family : family + "_total");
            default -> Set.of(family);
        };
    }
}
