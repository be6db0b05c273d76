package dev.patrol.plugin.logtail;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import dev.patrol.core.config.CommonCheckKeys;
import dev.patrol.testing.PluginTestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The plugin's documents agree with its code: README embeds sample.conf verbatim (telegraf's
 * check-plugin-doc-embedding), sample.conf parses into valid checks, and the module folder is named after the type.
 */
class PluginDocsTest {

    private static final Path MODULE = Path.of("").toAbsolutePath();

    private static String read(String file) throws IOException {
        return Files.readString(MODULE.resolve(file), StandardCharsets.UTF_8);
    }

    @Test
    void readmeEmbedsSampleConfVerbatim() throws IOException {
        assertThat(read("README.md")).contains("```hocon\n" + read("sample.conf") + "```\n");
    }

    @Test
    void sampleConfParsesIntoValidChecks() throws IOException {
        Config sample = ConfigFactory.parseString(
                        read("sample.conf"), ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF))
                .resolve();
        Config checks = sample.getConfig("patrol.checks");
        Set<String> pluginKeys = PluginTestSupport.pluginDefaults(LogTailPlugin.class, LogTailPlugin.TYPE)
                .root()
                .keySet();

        assertThat(checks.root().keySet()).isNotEmpty();
        for (String name : checks.root().keySet()) {
            Config check = checks.getConfig(name);
            assertThat(check.getString("type")).isEqualTo(LogTailPlugin.TYPE);
            assertThat(check.root().keySet())
                    .allSatisfy(key -> assertThat(CommonCheckKeys.NAMES.contains(key) || pluginKeys.contains(key))
                            .as("key %s of check %s is known", key, name)
                            .isTrue());
            LogTailSettings.from(
                    check.withFallback(PluginTestSupport.pluginDefaults(LogTailPlugin.class, LogTailPlugin.TYPE)));
        }
    }

    @Test
    void commentedOutDefaultsInSampleConfMatchReferenceConf() throws IOException {
        // "# output = nagios" lines are the defaults: uncommented, they must parse to what reference.conf says.
        StringBuilder defaults = new StringBuilder();
        for (String line : read("sample.conf").split("\n")) {
            String text = line.strip();
            if (text.startsWith("# ") && text.contains(" = ")) {
                defaults.append(text.substring(2)).append('\n');
            }
        }
        Config uncommented = ConfigFactory.parseString(defaults.toString());
        Config reference = PluginTestSupport.pluginDefaults(LogTailPlugin.class, LogTailPlugin.TYPE);

        for (var entry : uncommented.entrySet()) {
            String key = entry.getKey();
            if (reference.hasPath(key)) {
                assertThat(entry.getValue().unwrapped())
                        .as(key)
                        .isEqualTo(reference.getValue(key).unwrapped());
            }
        }
    }

    @Test
    void moduleFolderIsTheType() {
        assertThat(MODULE.getFileName()).hasToString(LogTailPlugin.TYPE);
        assertThat(new LogTailPlugin().type()).isEqualTo(LogTailPlugin.TYPE);
    }
}
