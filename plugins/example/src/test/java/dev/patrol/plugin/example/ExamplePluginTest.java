package dev.patrol.plugin.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.patrol.api.InvalidSettingsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** The commented-out values in sample.conf are valid too: uncommented, every one at once, they still parse. */
    @Test
    void sampleConfStillParsesWithEveryDefaultUncommented() throws IOException {
        String uncommented =
                Files.readString(Path.of("sample.conf"), StandardCharsets.UTF_8).replaceAll("(?m)^(\\s*)# ", "$1");
        String check = ConfigFactory.parseString(uncommented)
                .getConfig("patrol.checks.dns-lookup")
                .root()
                .render();

        assertThat(new ExamplePlugin().parse(ReferenceDefaults.block(check))).isInstanceOf(ExampleCheck.class);
    }
}
