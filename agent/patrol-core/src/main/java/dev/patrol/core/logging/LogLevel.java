package dev.patrol.core.logging;

import ch.qos.logback.classic.Level;

/** The levels {@code patrol.logging} accepts, written in lower case in the config. */
public enum LogLevel {
    TRACE(Level.TRACE),
    DEBUG(Level.DEBUG),
    INFO(Level.INFO),
    WARN(Level.WARN),
    ERROR(Level.ERROR),
    OFF(Level.OFF);

    private final Level logback;

    LogLevel(Level logback) {
        this.logback = logback;
    }

    Level logback() {
        return logback;
    }
}
