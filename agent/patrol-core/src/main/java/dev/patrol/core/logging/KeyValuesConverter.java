package dev.patrol.core.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * {@code %kvs}: the event's key-values as {@code  key="value"} (each with a leading space, quotes and backslashes in
 * values escaped), then {@code  (suppressed K similar lines)} when {@link RepeatedMessageFilter} held lines back.
 * Prints nothing for an event without key-values. Stateless and thread-safe.
 *
 * <p>Why not logback's own {@code %kvp} ({@code KeyValuePairConverter}, logback 1.3 to 1.6): it writes each value
 * between quotes as it is, without escaping. A value that holds remote text (a path, an error from a server) with a
 * quote or a newline would then end the value early or start a line of its own, which a log reader cannot tell from a
 * real one; the one-line, parseable format needs the escaping. It also prints the suppressed count as a plain pair and
 * no separator before the first pair. The events themselves carry their pairs the SLF4J 2 way
 * ({@code addKeyValue}), so nothing but this formatting is ours.
 */
public final class KeyValuesConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs == null || pairs.isEmpty()) {
            return "";
        }
        StringBuilder line = new StringBuilder();
        Object suppressed = null;
        for (KeyValuePair pair : pairs) {
            if (RepeatedMessageFilter.SUPPRESSED_KEY.equals(pair.key)) {
                suppressed = pair.value;
                continue;
            }
            line.append(' ').append(pair.key).append("=\"");
            String value = String.valueOf(pair.value);
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"', '\\' -> line.append('\\').append(c);
                    case '\n' -> line.append("\\n");
                    case '\r' -> line.append("\\r");
                    default -> line.append(c);
                }
            }
            line.append('"');
        }
        if (suppressed != null) {
            line.append(" (suppressed ").append(suppressed).append(" similar lines)");
        }
        return line.toString();
    }
}
