package dev.patrol.core.logging;

import java.time.Duration;
import java.util.Map;

/**
 * {@code patrol.logging}: how much the agent logs, applied at start and on every reload by {@link LogLevels}.
 *
 * @param level the level of every logger not named in {@code loggers}
 * @param loggers logger name (a class or package such as {@code dev.patrol.transport.ssh}, or {@code patrol.check.NAME})
 *     to its own level
 * @param repeatInterval how long identical warnings and errors about one target are held back after one is logged;
 *     zero logs every one
 */
public record LoggingSettings(LogLevel level, Map<String, LogLevel> loggers, Duration repeatInterval) {
    public LoggingSettings {
        loggers = Map.copyOf(loggers);
    }
}
