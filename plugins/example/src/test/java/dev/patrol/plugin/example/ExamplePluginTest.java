package dev.patrol.plugin.example;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patrol.api.InvalidSettingsException;
import org.junit.jupiter.api.Test;

/**
 * The plugin's own entry point. What every plugin promises (folder, service entry, README, sample.conf) is
 * {@link ExampleContractTest}'s.
 */
class ExamplePluginTest {

    @Test
    void parseReportsBadSettings() {
        assertThatThrownBy(() -> new ExamplePlugin().parse(ReferenceDefaults.block("warn-below = -3")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("warn-below: expected an integer of 0 or more, got -3");
    }
}
