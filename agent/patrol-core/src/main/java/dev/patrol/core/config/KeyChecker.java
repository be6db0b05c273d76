package dev.patrol.core.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.patrol.core.plugin.PluginRegistry;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Rejects keys the agent would silently ignore, which Typesafe Config itself never does. Walks the user's merged
 * config (not the reference) against the structure of the merged reference.conf files: under {@code patrol} only
 * known keys; an empty block in the reference ({@code labels {}}) takes any keys; a non-empty one is checked
 * recursively; a {@code patrol.targets.<name>} block against {@code patrol.target-defaults}; a
 * {@code patrol.checks.<name>} block against the common check keys plus {@code patrol.plugin-defaults.<type>}.
 *
 * <p>Not thread-safe; one per load.
 */
final class KeyChecker {
    private final ConfigObject reference;
    private final PluginRegistry registry;
    private final Problems problems;
    private final Set<String> unknownPaths = new HashSet<>();

    /** @param reference the merged reference.conf files, core's and every plugin's */
    KeyChecker(ConfigObject reference, PluginRegistry registry, Problems problems) {
        this.reference = reference;
        this.registry = registry;
        this.problems = problems;
    }

    /**
     * Checks the user's config and returns the full paths of the unknown keys it found, so that a check block can be
     * handed to its plugin without them.
     */
    Set<String> check(ConfigObject user) {
        ConfigValue patrol = user.get("patrol");
        if (patrol == null) {
            return Set.of();
        }
        ConfigObject patrolReference = object(reference, "patrol");
        if (!isBlock("patrol", patrol)) {
            return Set.of();
        }
        for (Map.Entry<String, ConfigValue> entry : ((ConfigObject) patrol).entrySet()) {
            String path = Origins.join("patrol", entry.getKey());
            ConfigValue value = entry.getValue();
            switch (entry.getKey()) {
                case "targets" -> eachBlock(path, value, name -> targetKeys(patrolReference));
                case "checks" -> eachBlock(path, value, this::checkKeys);
                case "plugin-defaults" -> pluginDefaults(path, value);
                default -> checkKey(path, entry.getKey(), value, patrolReference);
            }
        }
        return Set.copyOf(unknownPaths);
    }

    /**
     * The keys the user wrote, with their resolved values: {@code full} (user over reference, resolved) cut down to
     * the user's keys. A block the user built from a substitution is taken whole, as resolved.
     */
    static ConfigObject userView(ConfigObject user, ConfigObject full) {
        ConfigObject view = full;
        Set<String> userKeys;
        try {
            userKeys = user.keySet();
        } catch (ConfigException e) {
            return full; // a merge of substitutions: its keys are only known once resolved
        }
        // Each withoutKey or withValue copies the whole object, so only keys that change are touched: a checks
        // block of thousands of blocks, none of which changes, is then walked once and never copied.
        for (Map.Entry<String, ConfigValue> entry : full.entrySet()) {
            String key = entry.getKey();
            if (!userKeys.contains(key)) {
                view = view.withoutKey(key);
            } else if (user.get(key) instanceof ConfigObject userChild
                    && entry.getValue() instanceof ConfigObject child) {
                ConfigObject childView = userView(userChild, child);
                if (childView != child) {
                    view = view.withValue(key, childView);
                }
            }
        }
        return view;
    }

    private void eachBlock(String path, ConfigValue value, Function<ConfigObject, Map<String, ConfigValue>> known) {
        if (!isBlock(path, value)) {
            return;
        }
        for (Map.Entry<String, ConfigValue> entry : ((ConfigObject) value).entrySet()) {
            String blockPath = Origins.join(path, entry.getKey());
            if (isBlock(blockPath, entry.getValue())) {
                Map<String, ConfigValue> keys = known.apply((ConfigObject) entry.getValue());
                if (keys != null) {
                    checkBlock(blockPath, (ConfigObject) entry.getValue(), keys);
                }
            }
        }
    }

    private static Map<String, ConfigValue> targetKeys(ConfigObject patrolReference) {
        Map<String, ConfigValue> keys = new LinkedHashMap<>(object(patrolReference, "target-defaults"));
        // A target's ssh block overrides patrol.ssh for that target, so it takes exactly the keys of patrol.ssh.
        ConfigObject ssh = object(patrolReference, "ssh");
        if (ssh != null && keys.containsKey("ssh")) {
            keys.put("ssh", ssh);
        }
        return keys;
    }

    /** The keys of a check of the block's type; {@code null} when the type is unknown, reported elsewhere. */
    private Map<String, ConfigValue> checkKeys(ConfigObject check) {
        ConfigValue type = check.get("type");
        if (type == null
                || type.valueType() != ConfigValueType.STRING
                || registry.plugin((String) type.unwrapped()).isEmpty()) {
            return null;
        }
        Map<String, ConfigValue> keys = new LinkedHashMap<>();
        for (String common : dev.patrol.api.CommonCheckKeys.NAMES) {
            keys.put(common, ConfigValueFactory.fromAnyRef(null));
        }
        keys.put("labels", ConfigValueFactory.fromMap(Map.of()));
        keys.putAll(pluginKeys((String) type.unwrapped()));
        return keys;
    }

    /** A plugin's own keys, plus those of {@code patrol.defaults}, which a plugin-defaults block may also set. */
    private Map<String, ConfigValue> pluginKeys(String type) {
        Map<String, ConfigValue> keys = new LinkedHashMap<>();
        ConfigObject defaults = object(object(reference, "patrol"), "defaults");
        if (defaults != null) {
            keys.putAll(defaults);
        }
        ConfigObject own = object(object(object(reference, "patrol"), "plugin-defaults"), type);
        if (own != null) {
            keys.putAll(own);
        }
        return keys;
    }

    private void pluginDefaults(String path, ConfigValue value) {
        if (!isBlock(path, value)) {
            return;
        }
        for (Map.Entry<String, ConfigValue> entry : ((ConfigObject) value).entrySet()) {
            String typePath = Origins.join(path, entry.getKey());
            if (registry.plugin(entry.getKey()).isEmpty()) {
                unknown(typePath, entry.getKey(), entry.getValue(), registry.types(), "unknown check type");
            } else if (isBlock(typePath, entry.getValue())) {
                checkBlock(typePath, (ConfigObject) entry.getValue(), pluginKeys(entry.getKey()));
            }
        }
    }

    private void checkBlock(String path, ConfigObject block, Map<String, ConfigValue> known) {
        for (Map.Entry<String, ConfigValue> entry : block.entrySet()) {
            checkKey(Origins.join(path, entry.getKey()), entry.getKey(), entry.getValue(), known);
        }
    }

    private void checkKey(String path, String key, ConfigValue value, Map<String, ConfigValue> known) {
        ConfigValue expected = known.get(key);
        if (expected == null) {
            unknown(path, key, value, known.keySet(), "unknown key");
        } else if (expected instanceof ConfigObject block && isBlock(path, value) && !block.isEmpty()) {
            checkBlock(path, (ConfigObject) value, block);
        }
    }

    private boolean isBlock(String path, ConfigValue value) {
        if (value.valueType() == ConfigValueType.OBJECT) {
            return true;
        }
        String got = value.valueType() == ConfigValueType.LIST ? "a list" : "'" + value.unwrapped() + "'";
        problems.add(Origins.of(value), path, "expected a block { ... }, got " + got);
        problems.blockIsBroken(path);
        return false;
    }

    private void unknown(String path, String key, ConfigValue value, Set<String> candidates, String what) {
        unknownPaths.add(path);
        String hint = Suggestions.nearest(key, candidates)
                .map(nearest -> ", did you mean '" + nearest + "'?")
                .orElseGet(() -> candidates.isEmpty()
                        ? ""
                        : "; expected one of " + String.join(", ", new TreeSet<>(candidates)));
        problems.add(Origins.of(value), path, what + hint);
    }

    private static ConfigObject object(ConfigObject parent, String key) {
        return parent != null && parent.get(key) instanceof ConfigObject child ? child : null;
    }
}
