package dev.patrol.core.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * {@code %linePrefix}: what goes before the level on each line, depending on where stdout goes.
 *
 * <ul>
 *   <li>Into the journal ({@code JOURNAL_STREAM} set by systemd): the syslog priority as {@code <3>}, which journald
 *       strips and records, so {@code journalctl -p warning} works; no timestamp, journald adds its own.
 *   <li>Elsewhere under systemd ({@code INVOCATION_ID} set): nothing; whatever collects the output timestamps it.
 *   <li>Interactive: an ISO-8601 timestamp with milliseconds and offset, and a space.
 * </ul>
 *
 * <p>Thread-safe: the environment is read once, at start.
 */
public final class LinePrefixConverter extends ClassicConverter {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault());

    enum Mode {
        JOURNAL,
        SYSTEMD,
        INTERACTIVE
    }

    private volatile Mode mode = Mode.INTERACTIVE;

    @Override
    public void start() {
        mode = mode(System.getenv());
        super.start();
    }

    static Mode mode(Map<String, String> env) {
        if (isSet(env.get("JOURNAL_STREAM"))) {
            return Mode.JOURNAL;
        }
        return isSet(env.get("INVOCATION_ID")) ? Mode.SYSTEMD : Mode.INTERACTIVE;
    }

    @Override
    public String convert(ILoggingEvent event) {
        return prefix(mode, event.getLevel(), event.getTimeStamp());
    }

    static String prefix(Mode mode, Level level, long timestampMillis) {
        return switch (mode) {
            case JOURNAL -> "<" + syslogPriority(level) + ">";
            case SYSTEMD -> "";
            case INTERACTIVE -> TIMESTAMP.format(Instant.ofEpochMilli(timestampMillis)) + " ";
        };
    }

    /** syslog(3) priorities: err 3, warning 4, info 6, debug 7. */
    static int syslogPriority(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return 3;
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return 4;
        }
        return level.isGreaterOrEqual(Level.INFO) ? 6 : 7;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
