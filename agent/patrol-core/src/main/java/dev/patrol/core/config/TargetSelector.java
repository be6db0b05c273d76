package dev.patrol.core.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.patrol.api.Target;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Resolves a check's {@code targets} selector against {@code patrol.targets}:
 *
 * <pre>{@code
 * targets = "*"                         # every target, by name
 * targets = ["web-1", "web-2"]          # these, in this order; each must exist
 * targets = "web-1"                     # a list of one
 * targets { role = "web", env = ["prod", "staging"] }   # every target whose labels match all entries
 * }</pre>
 */
final class TargetSelector {
    static final String EXPECTED = "expected a target selector: \"*\" for every target, a list of target names such"
            + " as [\"web-1\"], or labels such as { role = \"web\" }";

    private TargetSelector() {}

    /**
     * The selected targets, or {@code null} after reporting why there are none.
     *
     * @param broken names of targets that are defined but invalid: selecting one fails without a second problem
     */
    static List<Target> select(
            ConfigValue selector, String path, Map<String, Target> targets, Set<String> broken, Problems problems) {
        List<Target> selected =
                switch (selector.valueType()) {
                    case STRING -> "*".equals(selector.unwrapped())
                            ? List.copyOf(targets.values())
                            : byNames(List.of(selector), path, targets, broken, problems);
                    case LIST -> byNames((ConfigList) selector, path, targets, broken, problems);
                    case OBJECT -> byLabels((ConfigObject) selector, path, targets, problems);
                    default -> {
                        problems.add(Origins.of(selector), path, EXPECTED + ", got '" + selector.unwrapped() + "'");
                        yield null;
                    }
                };
        if (selected != null && selected.isEmpty() && !broken.isEmpty()) {
            return null; // the invalid targets are reported; once fixed, one of them may match
        }
        if (selected != null && selected.isEmpty()) {
            String why = targets.isEmpty()
                    ? "no targets are defined in patrol.targets"
                    : describe(selector) + " matches none";
            problems.add(Origins.of(selector), path, "expected a selector that matches at least one target, " + why);
            return null;
        }
        return selected;
    }

    private static List<Target> byNames(
            List<? extends ConfigValue> names,
            String path,
            Map<String, Target> targets,
            Set<String> broken,
            Problems problems) {
        Set<Target> selected = new LinkedHashSet<>();
        boolean valid = true;
        for (ConfigValue name : names) {
            if (name.valueType() != ConfigValueType.STRING) {
                problems.add(Origins.of(name), path, "expected a target name, got " + describe(name));
                valid = false;
                continue;
            }
            String text = (String) name.unwrapped();
            Target target = targets.get(text);
            if (target == null && broken.contains(text)) {
                valid = false;
            } else if (target == null) {
                Set<String> known = new TreeSet<>(targets.keySet());
                known.addAll(broken);
                String hint = Suggestions.nearest(text, known)
                        .map(nearest -> ", did you mean '" + nearest + "'?")
                        .orElse("");
                problems.add(Origins.of(name), path, "no target named '" + text + "'" + hint);
                valid = false;
            } else {
                selected.add(target);
            }
        }
        return valid ? List.copyOf(selected) : null;
    }

    private static List<Target> byLabels(
            ConfigObject labels, String path, Map<String, Target> targets, Problems problems) {
        if (labels.isEmpty()) {
            problems.add(Origins.of(labels), path, EXPECTED + ", got an empty block");
            return null;
        }
        List<Map.Entry<String, Set<String>>> wanted = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> entry : labels.entrySet()) {
            Set<String> allowed = allowedValues(entry.getValue());
            if (allowed == null) {
                problems.add(
                        Origins.of(entry.getValue()),
                        Origins.join(path, entry.getKey()),
                        "expected a label value or a list of allowed values, got " + describe(entry.getValue()));
                return null;
            }
            wanted.add(Map.entry(entry.getKey(), allowed));
        }
        return targets.values().stream()
                .filter(target -> matches(target, wanted))
                .collect(Collectors.toList());
    }

    /** A target without one of the wanted labels, or without labels at all, simply does not match. */
    private static boolean matches(Target target, List<Map.Entry<String, Set<String>>> wanted) {
        Map<String, String> labels = target.labels() == null ? Map.of() : target.labels();
        for (Map.Entry<String, Set<String>> want : wanted) {
            String value = labels.get(want.getKey());
            if (value == null || !want.getValue().contains(value)) {
                return false;
            }
        }
        return true;
    }

    /** HOCON as users write it: {@code { role = "web" }}. */
    static String describe(ConfigValue value) {
        if (value instanceof ConfigObject object) {
            return object.entrySet().stream()
                    .map(entry -> Origins.join("", entry.getKey()) + " = " + describe(entry.getValue()))
                    .collect(Collectors.joining(", ", "{ ", " }"));
        }
        return value.render(ConfigRenderOptions.concise());
    }

    private static Set<String> allowedValues(ConfigValue value) {
        return switch (value.valueType()) {
            case STRING, NUMBER, BOOLEAN -> Set.of(String.valueOf(value.unwrapped()));
            case LIST -> {
                Set<String> values = new LinkedHashSet<>();
                for (ConfigValue item : (ConfigList) value) {
                    if (item.valueType() == ConfigValueType.OBJECT
                            || item.valueType() == ConfigValueType.LIST
                            || item.valueType() == ConfigValueType.NULL) {
                        yield null;
                    }
                    values.add(String.valueOf(item.unwrapped()));
                }
                yield values.isEmpty() ? null : values;
            }
            default -> null;
        };
    }
}
