package dev.patrol.core.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.patrol.core.logging.LinePrefixConverter.Mode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinePrefixConverterTest {

    @Test
    void choosesTheModeFromSystemdsEnvironment() {
        assertThat(LinePrefixConverter.mode(Map.of("JOURNAL_STREAM", "8:12345", "INVOCATION_ID", "abc")))
                .isEqualTo(Mode.JOURNAL);
        assertThat(LinePrefixConverter.mode(Map.of("INVOCATION_ID", "abc"))).isEqualTo(Mode.SYSTEMD);
        assertThat(LinePrefixConverter.mode(Map.of("JOURNAL_STREAM", ""))).isEqualTo(Mode.INTERACTIVE);
        assertThat(LinePrefixConverter.mode(Map.of())).isEqualTo(Mode.INTERACTIVE);
    }

    @Test
    void journalLinesCarryTheSyslogPriorityAndNoTimestamp() {
        assertThat(LinePrefixConverter.prefix(Mode.JOURNAL, Level.ERROR, 0)).isEqualTo("<3>");
        assertThat(LinePrefixConverter.prefix(Mode.JOURNAL, Level.WARN, 0)).isEqualTo("<4>");
        assertThat(LinePrefixConverter.prefix(Mode.JOURNAL, Level.INFO, 0)).isEqualTo("<6>");
        assertThat(LinePrefixConverter.prefix(Mode.JOURNAL, Level.DEBUG, 0)).isEqualTo("<7>");
        assertThat(LinePrefixConverter.prefix(Mode.SYSTEMD, Level.ERROR, 0)).isEmpty();
    }

    @Test
    void interactiveLinesStartWithAnIsoTimestamp() {
        assertThat(LinePrefixConverter.prefix(Mode.INTERACTIVE, Level.INFO, 1_700_000_000_123L))
                .matches("2023-11-1\\dT\\d\\d:\\d\\d:20\\.123([+-]\\d\\d:\\d\\d|Z) ");
    }
}
