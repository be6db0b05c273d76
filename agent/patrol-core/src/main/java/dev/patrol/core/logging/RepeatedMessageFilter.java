package dev.patrol.core.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import io.prometheus.client.Counter;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.event.KeyValuePair;

/**
 * Keeps a target that fails the same way every 15 seconds from flooding the journal: a warning or error carrying a
 * {@code target} key-value is logged once, then identical ones (same logger, level, message template, {@code check}
 * and {@code target}) are held back for the repeat interval. The first one after it is logged with
 * {@link #SUPPRESSED_KEY} set to how many were held back, which {@link KeyValuesConverter} prints as
 * "(suppressed K similar lines)". Every held-back line is counted in {@code patrol_log_messages_suppressed_total}.
 *
 * <p>Warnings from the web server library ({@link #THROTTLED_LIBRARY}) are held back the same way, keyed by logger,
 * level and message template alone: Jetty warns once per connection it has to drop, before any authentication, so
 * without this anyone who can open connections to the endpoint could flood the journal.
 *
 * <p>Attached to the console appender in {@code logback.xml}; {@link LogLevels} sets the interval from
 * {@code patrol.logging.repeat-interval}. Thread-safe.
 */
public final class RepeatedMessageFilter extends Filter<ILoggingEvent> {
    /** The key-value that carries the number of lines held back before this one. */
    public static final String SUPPRESSED_KEY = "patrol.suppressed";

    private static final Counter SUPPRESSED = Counter.build()
            .name("patrol_log_messages_suppressed")
            .help("Log lines held back because an identical warning or error about the same target was logged shortly"
                    + " before (patrol.logging.repeat-interval).")
            .create();
    private static final int MAX_TRACKED = 10_000;
    /** Logger name prefix of the library whose warnings are held back without a {@code target}. */
    static final String THROTTLED_LIBRARY = "org.eclipse.jetty.";

    private record Key(String logger, Level level, String template, Object check, Object target) {}

    private record Window(long loggedAtNanos, long suppressed) {}

    private final Map<Key, Window> windows = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private final Counter counter;
    private volatile long intervalNanos = Duration.ofMinutes(5).toNanos();

    public RepeatedMessageFilter() {
        this(System::nanoTime, SUPPRESSED);
    }

    RepeatedMessageFilter(LongSupplier nanoTime, Counter counter) {
        this.nanoTime = nanoTime;
        this.counter = counter;
    }

    /** The process-wide count of held-back lines, to register with a metrics registry. */
    public static Counter suppressedCounter() {
        return SUPPRESSED;
    }

    /** Zero turns holding back off. */
    public void setRepeatInterval(Duration interval) {
        intervalNanos = interval.toNanos();
        if (intervalNanos == 0) {
            windows.clear();
        }
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        long interval = intervalNanos;
        if (interval == 0 || !event.getLevel().isGreaterOrEqual(Level.WARN)) {
            return FilterReply.NEUTRAL;
        }
        Object target = value(event, "target");
        if (target == null && !event.getLoggerName().startsWith(THROTTLED_LIBRARY)) {
            return FilterReply.NEUTRAL;
        }
        Key key = new Key(event.getLoggerName(), event.getLevel(), event.getMessage(), value(event, "check"), target);
        long now = nanoTime.getAsLong();
        if (windows.size() >= MAX_TRACKED) {
            evict(now, interval);
        }
        long[] released = {-1};
        windows.compute(key, (k, window) -> {
            if (window == null || now - window.loggedAtNanos() >= interval) {
                released[0] = window == null ? 0 : window.suppressed();
                return new Window(now, 0);
            }
            return new Window(window.loggedAtNanos(), window.suppressed() + 1);
        });
        if (released[0] < 0) {
            counter.inc();
            return FilterReply.DENY;
        }
        if (released[0] > 0 && event instanceof LoggingEvent mutable) {
            mutable.addKeyValuePair(new KeyValuePair(SUPPRESSED_KEY, released[0]));
        }
        return FilterReply.NEUTRAL;
    }

    /** Forgets windows that have passed; if a flood of distinct keys remains, forgets all (lines are logged, not lost). */
    private void evict(long now, long interval) {
        windows.values().removeIf(window -> now - window.loggedAtNanos() >= interval);
        if (windows.size() >= MAX_TRACKED) {
            windows.clear();
        }
    }

    private static Object value(ILoggingEvent event, String key) {
        if (event.getKeyValuePairs() == null) {
            return null;
        }
        for (KeyValuePair pair : event.getKeyValuePairs()) {
            if (Objects.equals(pair.key, key)) {
                return pair.value;
            }
        }
        return null;
    }
}
