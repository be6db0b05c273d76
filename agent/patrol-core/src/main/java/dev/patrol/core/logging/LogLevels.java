package dev.patrol.core.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.filter.Filter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code patrol.logging} to Logback: the root level, each named logger's level, and the repeat interval of
 * {@link RepeatedMessageFilter}. A logger dropped from the config on reload gets back the level it had before Patrol
 * first changed it (for example {@code org.quartz = WARN} from {@code logback.xml}).
 *
 * <pre>{@code
 * LogLevels.apply(settings.logging());   // at start and after every successful reload
 * }</pre>
 *
 * <p>Thread-safe: applications are serialized.
 */
public final class LogLevels {
    /** Where the levels loggers had before Patrol changed them are kept, in the context's object map. */
    private static final String ORIGINALS = LogLevels.class.getName() + ".originals";

    private LogLevels() {}

    /** Applies {@code settings} when SLF4J is bound to Logback; does nothing under another binding. */
    public static void apply(LoggingSettings settings) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            apply(context, settings);
        }
    }

    static synchronized void apply(LoggerContext context, LoggingSettings settings) {
        @SuppressWarnings("unchecked")
        Map<String, Level> originals = (Map<String, Level>) context.getObject(ORIGINALS);
        if (originals == null) {
            originals = new HashMap<>();
            context.putObject(ORIGINALS, originals);
        }
        Map<String, LogLevel> wanted = new HashMap<>(settings.loggers());
        wanted.put(Logger.ROOT_LOGGER_NAME, settings.level());
        for (String name : new ArrayList<>(originals.keySet())) {
            if (!wanted.containsKey(name)) {
                context.getLogger(name).setLevel(originals.remove(name));
            }
        }
        for (Map.Entry<String, LogLevel> entry : wanted.entrySet()) {
            Logger logger = context.getLogger(entry.getKey());
            if (!originals.containsKey(entry.getKey())) {
                originals.put(entry.getKey(), logger.getLevel());
            }
            logger.setLevel(entry.getValue().logback());
        }
        Iterator<Appender<ILoggingEvent>> appenders =
                context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
        while (appenders.hasNext()) {
            for (Filter<ILoggingEvent> filter : appenders.next().getCopyOfAttachedFiltersList()) {
                if (filter instanceof RepeatedMessageFilter repeated) {
                    repeated.setRepeatInterval(settings.repeatInterval());
                }
            }
        }
    }
}
