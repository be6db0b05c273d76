package dev.patrol.plugin.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import dev.patrol.api.CheckPlugin;
import dev.patrol.api.InvalidSettingsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExamplePluginTest {
    /** Keys every check block takes besides its plugin's; see patrol.checks in the core's reference.conf. */
    private static final Set<String> CHECK_KEYS =
            Set.of("type", "targets", "cron", "labels", "expose-labels", "description");

    @Test
    void isFoundByServiceLoaderUnderItsFolderName() {
        assertThat(ServiceLoader.load(CheckPlugin.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(plugin -> plugin instanceof ExamplePlugin)
                .singleElement()
                .extracting(CheckPlugin::type)
                .isEqualTo(Path.of("").toAbsolutePath().getFileName().toString());
    }

    @Test
    void parseReportsBadSettings() {
        assertThatThrownBy(() -> new ExamplePlugin().parse(ReferenceDefaults.block("warn-below = -3")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("warn-below: expected an integer of 0 or more, got -3");
    }

    /** Like telegraf's check-plugin-doc-embedding.sh: the README shows exactly what sample.conf holds. */
    @Test
    void readmeEmbedsSampleConfVerbatim() throws IOException {
        String sample = Files.readString(Path.of("sample.conf"), StandardCharsets.UTF_8);
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);

        assertThat(readme).contains("```hocon\n" + sample + "```\n");
    }

    @Test
    void sampleConfUsesOnlyKnownKeysAndParses() {
        assertChecksParse(ConfigFactory.parseFile(Path.of("sample.conf").toFile()));
    }

    /** The commented-out values in sample.conf must be valid too: uncommented, they still parse. */
    @Test
    void sampleConfStillParsesWithEveryDefaultUncommented() throws IOException {
        String uncommented =
                Files.readString(Path.of("sample.conf"), StandardCharsets.UTF_8).replaceAll("(?m)^(\\s*)# ", "$1");

        assertChecksParse(ConfigFactory.parseString(uncommented));
    }

    /** What the agent does with a check block: reject unknown keys, add the defaults, let the plugin parse it. */
    private static void assertChecksParse(Config sample) {
        ConfigObject checks = sample.resolve().getObject("patrol.checks");
        Config defaults = ReferenceDefaults.example();
        Set<String> known = new HashSet<>(CHECK_KEYS);
        known.addAll(defaults.root().keySet());

        assertThat(checks).isNotEmpty();
        for (String name : checks.keySet()) {
            Config block = checks.toConfig().getConfig(ConfigUtil.joinPath(name));
            assertThat(block.getString("type")).isEqualTo(ExamplePlugin.TYPE);
            assertThat(block.root().keySet()).isSubsetOf(known);
            assertThat(new ExamplePlugin().parse(block.withFallback(defaults))).isInstanceOf(ExampleCheck.class);
        }
    }
}
