package dev.patrol.core.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.KeyValuePairConverter;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** Why {@code %kvs} is ours and not logback's {@code %kvp}: a value with remote text must not break the line. */
class KeyValuesConverterTest {
    private final LoggingEvent event = new LoggingEvent(
            "test", new LoggerContext().getLogger("patrol.check.homepage"), Level.WARN, "Run failed", null, null);

    KeyValuesConverterTest() {
        event.addKeyValuePair(new KeyValuePair("target", "web-1"));
        event.addKeyValuePair(new KeyValuePair("error", "bad \"header\"\nWARN forged line"));
    }

    @Test
    void aValueWithQuotesAndANewlineStaysOneParseableLine() {
        assertThat(new KeyValuesConverter().convert(event))
                .isEqualTo(" target=\"web-1\" error=\"bad \\\"header\\\"\\nWARN forged line\"")
                .doesNotContain("\n");
    }

    @Test
    void logbacksOwnConverterWouldLetTheValueStartALineOfItsOwn() {
        KeyValuePairConverter logbacks = new KeyValuePairConverter();
        logbacks.start();

        assertThat(logbacks.convert(event))
                .as("switch to %kvp once logback escapes values")
                .contains("\nWARN forged line");
    }

    @Test
    void theSuppressedCountIsANoteNotAPair() {
        event.addKeyValuePair(new KeyValuePair(RepeatedMessageFilter.SUPPRESSED_KEY, 4));

        assertThat(new KeyValuesConverter().convert(event)).endsWith("line\" (suppressed 4 similar lines)");
    }
}
