package dev.patrol.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import dev.patrol.api.SettingsReader;
import dev.patrol.api.Target;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Builds {@code patrol.targets}: each block over {@code patrol.target-defaults}, with a required {@code host}. The
 * whole merged block becomes {@link Target#settings()}, for transport keys plugins add to the target defaults.
 */
final class TargetParser {
    /** Names become label values and appear in paths and URLs; keep them plain. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private TargetParser() {}

    /** The valid targets by name, sorted, and the names of those left out because they are invalid. */
    record Parsed(Map<String, Target> targets, Set<String> broken) {}

    /** @param patrol the resolved {@code patrol} block */
    static Parsed parse(Config patrol, Problems problems) {
        Map<String, Target> targets = new TreeMap<>();
        Set<String> broken = new TreeSet<>();
        if (!(patrol.root().get("targets") instanceof ConfigObject blocks)) {
            return new Parsed(targets, broken);
        }
        Config defaults = patrol.getConfig("target-defaults");
        for (Map.Entry<String, ConfigValue> entry : blocks.entrySet()) {
            String name = entry.getKey();
            String path = Origins.join("patrol.targets", name);
            ConfigOrigin where = Origins.of(entry.getValue());
            if (!NAME.matcher(name).matches()) {
                problems.add(where, path, "expected a target name of letters, digits, '_', '.' and '-'");
                broken.add(name);
                continue;
            }
            if (!(entry.getValue() instanceof ConfigObject block)) {
                broken.add(name); // reported by KeyChecker
                continue;
            }
            Config merged = block.toConfig().withFallback(defaults);
            SettingsReader reader = new SettingsReader(merged);
            String host = null;
            if (!merged.hasPath("host")) {
                reader.problem("host", "is required: expected a host name or address such as \"10.0.0.11\"");
            } else {
                host = reader.string("host");
                if (host != null && host.isBlank()) {
                    reader.problem("host", "expected a host name or address, got an empty string");
                }
            }
            Integer port = reader.integer("port", 1, 65_535);
            Map<String, String> labels = reader.stringMap("labels");
            for (String label : labels.keySet()) {
                if (CommonCheckKeys.PROMETHEUS_LABELS.contains(label)) {
                    reader.problem("labels." + label, CommonCheckKeys.prometheusLabelProblem(label));
                }
            }
            problems.addUnder(path, reader.problems(), where);
            if (reader.isValid()) {
                targets.put(name, new Target(name, host, port, labels, merged));
            } else {
                broken.add(name);
            }
        }
        return new Parsed(targets, broken);
    }
}
