package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsProblem;
import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.config.ConfigLoader;
import dev.patrol.core.config.PatrolSettings;
import dev.patrol.core.plugin.PluginRegistry;
import dev.patrol.plugin.example.ExamplePlugin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example plugin's sample.conf as a user would drop it in: loaded by the agent's own config loader, unknown-key check included. */
class SampleConfInAgentTest {

    @Test
    void theAgentAcceptsSampleConfBesideATarget(@TempDir Path dir) throws IOException {
        PatrolSettings settings = load(dir, "");

        CheckSettings check = settings.checks().get("dns-lookup");
        assertThat(check.type()).isEqualTo(ExamplePlugin.TYPE);
        assertThat(check.definition().getClass().getSimpleName()).isEqualTo("ExampleCheck");
        assertThat(check.targets()).extracting(Target::name).containsExactly("local");
    }

    @Test
    void theAgentRejectsAKeyThatIsNotInReferenceConf(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> load(dir, "patrol.checks.dns-lookup.warn-belwo = 2\n"))
                .isInstanceOfSatisfying(InvalidSettingsException.class, error -> assertThat(error.problems())
                        .extracting(SettingsProblem::path)
                        .containsExactly("patrol.checks.dns-lookup.warn-belwo"));
    }

    private static PatrolSettings load(Path dir, String extra) throws IOException {
        Path main = dir.resolve("patrol.conf");
        Files.writeString(
                main,
                Files.readString(Path.of("../plugins/example/sample.conf"), StandardCharsets.UTF_8)
                        + "patrol.state-dir = \"state\"\n"
                        + "patrol.targets { local { host = \"127.0.0.1\" } }\n"
                        + extra,
                StandardCharsets.UTF_8);
        return ConfigLoader.with(new PluginRegistry(List.of(new ExamplePlugin())))
                .load(main);
    }
}
