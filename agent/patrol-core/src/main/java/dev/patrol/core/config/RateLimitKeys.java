package dev.patrol.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.patrol.api.SettingsReader;
import dev.patrol.core.ratelimit.Rate;
import dev.patrol.core.ratelimit.RateLimitSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code patrol.rate-limits.<name> { rate, burst, max-wait, per }} over {@code patrol.rate-limit-defaults}, and
 * checks that every check's {@code rate-limit = <name>} names one of them. Problems carry the file and line of the
 * value at fault.
 */
public final class RateLimitKeys {
    /** The check key that names a limit; listed in {@link dev.patrol.api.CommonCheckKeys#NAMES}. */
    public static final String CHECK_KEY = "rate-limit";

    private static final List<String> KEYS = List.of("rate", "burst", "max-wait", "per");

    private RateLimitKeys() {}

    /** The limit {@code check} names, or null. */
    public static String limitOf(CheckSettings check) {
        return check.block().hasPath(CHECK_KEY) ? check.block().getString(CHECK_KEY) : null;
    }

    /** Reads the limits and checks the references to them; what is wrong goes to {@code problems}. */
    static Map<String, RateLimitSettings> parse(Config patrol, Problems problems) {
        Map<String, RateLimitSettings> limits = new TreeMap<>();
        if (patrol.root().get("rate-limits") instanceof ConfigObject blocks) {
            Config defaults = patrol.getConfig("rate-limit-defaults");
            for (Map.Entry<String, ConfigValue> entry : blocks.entrySet()) {
                String path = Origins.join("patrol.rate-limits", entry.getKey());
                if (!(entry.getValue() instanceof ConfigObject block)) {
                    problems.add(Origins.of(entry.getValue()), path, "expected a block { rate = 10/s, ... }");
                    continue;
                }
                RateLimitSettings settings = parseOne(entry.getKey(), block, defaults, path, problems);
                if (settings != null) {
                    limits.put(entry.getKey(), settings);
                }
            }
        }
        checkReferences(patrol, blocks(patrol), problems);
        return limits;
    }

    private static RateLimitSettings parseOne(
            String name, ConfigObject block, Config defaults, String path, Problems problems) {
        if (!TargetParser.NAME.matcher(name).matches()) {
            problems.add(Origins.of(block), path, "expected a limit name of letters, digits, '_', '.' and '-'");
        }
        for (String key : block.keySet()) {
            if (!KEYS.contains(key)) {
                problems.add(
                        Origins.of(block.get(key)),
                        Origins.join(path, key),
                        "unknown key; expected one of " + String.join(", ", KEYS));
            }
        }
        SettingsReader reader = new SettingsReader(block.toConfig().withFallback(defaults));
        Rate rate = null;
        if (!block.containsKey("rate")) {
            problems.add(Origins.of(block), Origins.join(path, "rate"), "is required: expected " + Rate.EXPECTED);
        } else {
            String text = reader.string("rate");
            rate = text == null ? null : Rate.parse(text).orElse(null);
            if (text != null && rate == null) {
                reader.problem("rate", "expected " + Rate.EXPECTED + ", got '" + text + "'");
            }
        }
        Integer burst = block.containsKey("burst") ? reader.integer("burst", 1, 1_000_000) : null;
        Duration maxWait = reader.duration("max-wait");
        RateLimitSettings.Per per = reader.oneOf("per", RateLimitSettings.Per.class);
        problems.addUnder(path, reader.problems(), Origins.of(block));
        if (rate == null
                || burst == null && block.containsKey("burst")
                || maxWait == null
                || per == null
                || !reader.isValid()) {
            return null;
        }
        int burstOrDefault = burst != null ? burst : (int) Math.min(rate.permits(), 1_000_000);
        return new RateLimitSettings(name, rate, burstOrDefault, maxWait, per);
    }

    private static ConfigObject blocks(Config patrol) {
        return patrol.root().get("rate-limits") instanceof ConfigObject blocks ? blocks : null;
    }

    private static void checkReferences(Config patrol, ConfigObject limits, Problems problems) {
        if (!(patrol.root().get("checks") instanceof ConfigObject checks)) {
            return;
        }
        for (Map.Entry<String, ConfigValue> entry : checks.entrySet()) {
            if (!(entry.getValue() instanceof ConfigObject check) || !check.containsKey(CHECK_KEY)) {
                continue;
            }
            ConfigValue value = check.get(CHECK_KEY);
            String path = Origins.join(Origins.join("patrol.checks", entry.getKey()), CHECK_KEY);
            String known = limits == null || limits.isEmpty()
                    ? "no patrol.rate-limits are defined"
                    : "known limits: " + String.join(", ", new TreeMap<>(limits.unwrapped()).keySet());
            if (value.valueType() != ConfigValueType.STRING) {
                problems.add(Origins.of(value), path, "expected the name of a patrol.rate-limits block; " + known);
            } else if (limits == null || !limits.containsKey((String) value.unwrapped())) {
                problems.add(
                        Origins.of(value),
                        path,
                        "expected the name of a patrol.rate-limits block, got '" + value.unwrapped() + "'; " + known);
            }
        }
    }
}
