package dev.patrol.core.logging;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code patrol.logging}: how much the agent logs, applied at start and on every reload by {@link LogLevels}.
 *
 * <pre>{@code
 * LoggingSettings logging = LoggingSettings.from(patrol.getConfig("logging"));
 * }</pre>
 *
 * @param level the level of every logger not named in {@code loggers}
 * @param loggers logger name (a class or package such as {@code dev.patrol.transport.ssh}, or {@code patrol.check.NAME})
 *     to its own level
 * @param repeatInterval how long identical warnings and errors about one target are held back after one is logged;
 *     zero logs every one
 * @param renamedLoggers a configured logger name that no longer exists to the name its level was applied to, such as
 *     {@code dev.patrol.transport.ssh} to {@code dev.patrol.transport.ssh}; worth a warning
 */
public record LoggingSettings(
        LogLevel level, Map<String, LogLevel> loggers, Duration repeatInterval, Map<String, String> renamedLoggers) {

    /**
     * Packages that moved, old name to new. Their loggers moved with them; a level users set for the old name, as the
     * documentation once showed, still applies to the new one.
     */
    static final Map<String, String> MOVED_PACKAGES = Map.of(
            "dev.patrol.transport.ssh", "dev.patrol.transport.ssh",
            "dev.patrol.transport.http", "dev.patrol.transport.http");

    public LoggingSettings {
        loggers = Map.copyOf(loggers);
        renamedLoggers = Map.copyOf(renamedLoggers);
    }

    public LoggingSettings(LogLevel level, Map<String, LogLevel> loggers, Duration repeatInterval) {
        this(level, loggers, repeatInterval, Map.of());
    }

    /**
     * Reads and validates the {@code logging} block, reference defaults included. A level set for a logger of a moved
     * package is set for its new name too, unless the new name has a level of its own.
     *
     * @throws InvalidSettingsException with every problem, paths relative to the block
     */
    public static LoggingSettings from(Config logging) {
        SettingsReader reader = new SettingsReader(logging);
        LogLevel level = reader.oneOf("level", LogLevel.class);
        Duration repeatInterval = reader.duration("repeat-interval");
        Map<String, LogLevel> loggers = new TreeMap<>();
        if (reader.block("loggers") != null) {
            loggerLevels(reader, List.of("loggers"), logging.getObject("loggers"), loggers);
        }
        reader.throwIfInvalid();
        Map<String, String> renamed = new TreeMap<>();
        for (Map.Entry<String, LogLevel> logger : Map.copyOf(loggers).entrySet()) {
            String newName = newName(logger.getKey());
            if (newName != null) {
                renamed.put(logger.getKey(), newName);
                loggers.putIfAbsent(newName, logger.getValue());
            }
        }
        return new LoggingSettings(level, loggers, repeatInterval, renamed);
    }

    /** The name a logger of a moved package has now, or {@code null} when it did not move. */
    static String newName(String logger) {
        for (Map.Entry<String, String> moved : MOVED_PACKAGES.entrySet()) {
            if (logger.equals(moved.getKey()) || logger.startsWith(moved.getKey() + ".")) {
                return moved.getValue() + logger.substring(moved.getKey().length());
            }
        }
        return null;
    }

    /** Flattens the block, so that an unquoted {@code dev.patrol.core = debug} means the logger it looks like. */
    private static void loggerLevels(
            SettingsReader reader, List<String> at, ConfigObject block, Map<String, LogLevel> into) {
        for (Map.Entry<String, ConfigValue> entry : block.entrySet()) {
            List<String> elements = new ArrayList<>(at);
            elements.add(entry.getKey());
            ConfigValue value = entry.getValue();
            if (value instanceof ConfigObject nested) {
                loggerLevels(reader, elements, nested, into);
                continue;
            }
            String path = ConfigUtil.joinPath(elements);
            LogLevel parsed = value.valueType() == ConfigValueType.STRING ? reader.oneOf(path, LogLevel.class) : null;
            if (value.valueType() != ConfigValueType.STRING) {
                reader.problem(path, "expected one of " + levelNames() + " for this logger");
            } else if (parsed != null) {
                into.put(String.join(".", elements.subList(1, elements.size())), parsed);
            }
        }
    }

    private static String levelNames() {
        return Arrays.stream(LogLevel.values())
                .map(level -> level.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
