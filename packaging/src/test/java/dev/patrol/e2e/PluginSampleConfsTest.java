package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.InvalidSettingsException;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.config.ConfigLoader;
import dev.patrol.core.config.PatrolSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every plugin's {@code sample.conf}, dropped beside a target as a user would, passes what {@code patrol check-config}
 * runs: the agent's own loader with every plugin on the class path, unknown-key check included. Each plugin's
 * {@code PluginContractTest} checks the same file with the plugin alone; this is the half that needs the agent.
 */
class PluginSampleConfsTest {
    private static final Path PLUGINS =
            Path.of("..", "plugins").toAbsolutePath().normalize();

    static Stream<Path> plugins() throws IOException {
        List<Path> folders;
        try (Stream<Path> list = Files.list(PLUGINS)) {
            folders = list.filter(folder -> Files.exists(folder.resolve("sample.conf")))
                    .sorted()
                    .toList();
        }
        assertThat(folders)
                .extracting(folder -> folder.getFileName().toString())
                .contains("example", "http", "log-tail", "ssh-command");
        return folders.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plugins")
    void sampleConfLoadsInTheAgent(Path plugin, @TempDir Path dir) throws IOException {
        String type = plugin.getFileName().toString();
        Path main = dir.resolve("patrol.conf");
        // An agent that uses SSH at all needs a known_hosts file, as check-config on a server would find.
        Path knownHosts = Files.createFile(dir.resolve("known_hosts"));
        Files.writeString(
                main,
                Files.readString(plugin.resolve("sample.conf"), StandardCharsets.UTF_8)
                        + "patrol.state-dir = \"" + dir.resolve("state") + "\"\n"
                        + "patrol.ssh.known-hosts = \"" + knownHosts + "\"\n"
                        + "patrol.targets { web-1 { host = \"127.0.0.1\", labels { role = \"web\" } } }\n",
                StandardCharsets.UTF_8);

        PatrolSettings settings;
        try {
            settings = ConfigLoader.discovering().load(main);
        } catch (InvalidSettingsException e) {
            throw new AssertionError(type + "/sample.conf does not load: " + e.getMessage(), e);
        }

        assertThat(settings.checks().values())
                .isNotEmpty()
                .allSatisfy(check -> assertThat(check.type()).isEqualTo(type))
                .allSatisfy(check -> assertThat(check.targets()).isNotEmpty());
        assertThat(settings.checks().values()).extracting(CheckSettings::name).doesNotHaveDuplicates();
    }
}
