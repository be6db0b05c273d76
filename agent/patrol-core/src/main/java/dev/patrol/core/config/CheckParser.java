package dev.patrol.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckPlugin;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsProblem;
import dev.patrol.api.Target;
import dev.patrol.core.plugin.PluginRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@code patrol.checks}. For each check the plugin gets
 * {@code check.withFallback(patrol.plugin-defaults.<type>).withFallback(patrol.defaults)}, with unknown keys already
 * reported and removed; the agent reads the common keys itself ({@link CommonCheckKeys}) and resolves the
 * {@code targets} selector ({@link TargetSelector}).
 *
 * <p>Not thread-safe; one per load.
 */
final class CheckParser {
    private static final Logger logger = LoggerFactory.getLogger(CheckParser.class);

    private final PluginRegistry registry;
    private final TargetParser.Parsed targets;
    private final Set<String> unknownPaths;
    private final boolean allowFastChecks;
    private final Problems problems;

    /** @param allowFastChecks {@code patrol.allow-fast-checks}: whether an interval may be under a second */
    CheckParser(
            PluginRegistry registry,
            TargetParser.Parsed targets,
            Set<String> unknownPaths,
            boolean allowFastChecks,
            Problems problems) {
        this.registry = registry;
        this.targets = targets;
        this.unknownPaths = unknownPaths;
        this.allowFastChecks = allowFastChecks;
        this.problems = problems;
    }

    /**
     * @param patrol the resolved {@code patrol} block
     * @return the valid checks by name, sorted; invalid ones are left out and reported
     */
    Map<String, CheckSettings> parse(Config patrol) {
        Map<String, CheckSettings> checks = new TreeMap<>();
        if (!(patrol.root().get("checks") instanceof ConfigObject blocks)) {
            return checks;
        }
        for (Map.Entry<String, ConfigValue> entry : blocks.entrySet()) {
            if (entry.getValue() instanceof ConfigObject check) {
                CheckSettings settings = parseOne(entry.getKey(), check, patrol);
                if (settings != null) {
                    checks.put(entry.getKey(), settings);
                }
            }
        }
        return checks;
    }

    private CheckSettings parseOne(String name, ConfigObject check, Config patrol) {
        String path = Origins.join("patrol.checks", name);
        ConfigOrigin where = Origins.of(check);
        boolean validName = TargetParser.NAME.matcher(name).matches();
        if (!validName) {
            problems.add(where, path, "expected a check name of letters, digits, '_', '.' and '-'");
        }
        CheckPlugin plugin = plugin(check, path, where);
        Config block = check.toConfig();
        if (plugin != null && patrol.hasPath("plugin-defaults." + plugin.type())) {
            block = block.withFallback(patrol.getConfig("plugin-defaults." + plugin.type()));
        }
        block = withoutUnknownKeys(block.withFallback(patrol.getConfig("defaults")), path);

        CommonCheckKeys common = CommonCheckKeys.read(block, check, path, where, allowFastChecks);
        report(common.problems(), check, plugin, patrol, path, where);
        CheckDefinition definition = plugin == null ? null : define(plugin, block, check, patrol, path, where);
        List<Target> selected = targetsOf(check, definition, path, where);
        if (selected != null) {
            common.checkExposedLabels(selected, problems);
        }
        if (!validName || definition == null || selected == null || !common.isValid()) {
            return null;
        }
        return new CheckSettings(
                name,
                plugin.type(),
                definition,
                common.interval(),
                common.cron(),
                common.timeout(),
                common.retries(),
                common.retryInterval(),
                selected,
                common.labels(),
                common.exposeLabels(),
                block,
                common.state());
    }

    private CheckPlugin plugin(ConfigObject check, String path, ConfigOrigin where) {
        ConfigValue type = check.get("type");
        String known = registry.types().isEmpty()
                ? "no check plugins are loaded (put plugin jars in plugins.d)"
                : "known types: " + String.join(", ", registry.types());
        if (type == null) {
            problems.add(where, path + ".type", "is required: expected a check type; " + known);
            return null;
        }
        if (type.valueType() != ConfigValueType.STRING) {
            problems.add(Origins.of(type), path + ".type", "expected a check type (a string); " + known);
            return null;
        }
        String text = (String) type.unwrapped();
        CheckPlugin plugin = registry.plugin(text).orElse(null);
        if (plugin == null) {
            String message = Suggestions.nearest(text, registry.types())
                    .map(nearest ->
                            "unknown check type '" + text + "', did you mean '" + nearest + "'? (" + known + ")")
                    .orElse("unknown check type '" + text + "'; " + known);
            problems.add(Origins.of(type), path + ".type", message);
        }
        return plugin;
    }

    /** The plugin's parse, whose problems are made relative to the check and whose crashes become problems too. */
    private CheckDefinition define(
            CheckPlugin plugin, Config block, ConfigObject check, Config patrol, String path, ConfigOrigin where) {
        try {
            CheckDefinition definition = plugin.parse(block);
            if (definition == null) {
                problems.add(where, path, "the " + plugin.type() + " plugin returned no check for this block");
            }
            return definition;
        } catch (InvalidSettingsException e) {
            report(e.problems(), check, plugin, patrol, path, where);
        } catch (RuntimeException | LinkageError e) {
            logger.error("Check plugin failed to parse a check check={} type={}", path, plugin.type(), e);
            problems.add(where, path, "the " + plugin.type() + " plugin failed on this block: " + e);
        }
        return null;
    }

    private List<Target> targetsOf(ConfigObject check, CheckDefinition definition, String path, ConfigOrigin where) {
        ConfigValue selector = check.get("targets");
        String selectorPath = path + ".targets";
        if (selector != null) {
            return TargetSelector.select(selector, selectorPath, targets.targets(), targets.broken(), problems);
        }
        if (definition == null) {
            return null;
        }
        if (definition.needsTargets()) {
            problems.add(where, selectorPath, "is required: " + TargetSelector.EXPECTED);
            return null;
        }
        try {
            return List.of(definition.implicitTarget());
        } catch (RuntimeException e) {
            logger.error("Check plugin failed to name its implicit target check={}", path, e);
            problems.add(where, path, "the plugin failed to name this check's own target: " + e);
            return null;
        }
    }

    /**
     * Puts each problem where the value was set: under the check for its own keys, else under
     * {@code patrol.plugin-defaults.<type>} or {@code patrol.defaults}, so that one bad default is one problem and
     * not one per check. A key that none of them sets (a required {@code url} left out; the plugin's reference.conf
     * holds it as {@code null}) is the check's to set, so its problem stays under the check.
     */
    private void report(
            List<SettingsProblem> found,
            ConfigObject check,
            CheckPlugin plugin,
            Config patrol,
            String path,
            ConfigOrigin where) {
        for (SettingsProblem problem : found) {
            String key = Origins.firstKey(problem.path());
            String prefix = path;
            if (!key.isEmpty() && !check.containsKey(key)) {
                String pluginDefaults = plugin == null ? null : "plugin-defaults." + plugin.type();
                if (pluginDefaults != null && patrol.hasPath(pluginDefaults + "." + key)) {
                    prefix = "patrol." + pluginDefaults;
                } else if (patrol.hasPath("defaults." + key)) {
                    prefix = "patrol.defaults";
                }
            }
            problems.addUnder(prefix, List.of(problem), where);
        }
    }

    /** The block as the plugin may see it: only known keys, as the SPI promises. */
    private Config withoutUnknownKeys(Config block, String path) {
        Config result = block;
        for (String unknown : unknownPaths) {
            if (unknown.startsWith(path + ".")) {
                result = result.withoutPath(unknown.substring(path.length() + 1));
            }
        }
        return result;
    }
}
