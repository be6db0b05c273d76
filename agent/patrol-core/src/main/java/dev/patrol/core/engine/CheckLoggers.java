package dev.patrol.core.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logger of each check, {@code patrol.check.<name>}, looked up once per check rather than on every run (a lookup
 * by name showed up in profiles at thousands of runs a second). One cache for the engine: the same logger serves what
 * a plugin logs through its context and the engine's own per-run line. Thread-safe.
 */
final class CheckLoggers {
    /** One check's logger through the two APIs: SLF4J for the engine, {@link System.Logger} for the plugin SPI. */
    record Loggers(Logger engine, System.Logger plugin) {}

    private final Map<String, Loggers> byCheck = new ConcurrentHashMap<>();

    Loggers of(String check) {
        return byCheck.computeIfAbsent(check, name -> {
            String loggerName = "patrol.check." + name;
            return new Loggers(LoggerFactory.getLogger(loggerName), System.getLogger(loggerName));
        });
    }
}
