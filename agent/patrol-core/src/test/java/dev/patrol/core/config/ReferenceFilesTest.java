package dev.patrol.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceFilesTest {
    @TempDir
    Path dir;

    @Test
    void withoutPluginJarsTheAgentsFilesAreAllThereIs() {
        Config agent = ReferenceFiles.agent();

        assertThat(ReferenceFiles.withPlugins(agent, ReferenceFiles.class.getClassLoader()))
                .isSameAs(agent);
    }

    @Test
    void aPluginJarAddsItsDefaultsAsParsingThemAllTogetherWould() throws IOException {
        Files.writeString(
                dir.resolve("reference.conf"),
                """
                patrol.plugin-defaults.jarred { answer = 42 }
                patrol.web.listen = "0.0.0.0:1"
                """);
        try (URLClassLoader plugins =
                new URLClassLoader(new URL[] {dir.toUri().toURL()}, ReferenceFiles.class.getClassLoader())) {
            Config merged = ReferenceFiles.withPlugins(ReferenceFiles.agent(), plugins);

            assertThat(merged.getInt("patrol.plugin-defaults.jarred.answer")).isEqualTo(42);
            // A file earlier on the class path wins: the agent's own default stays.
            assertThat(merged.getString("patrol.web.listen")).isEqualTo("127.0.0.1:9740");
            assertThat(merged.root())
                    .isEqualTo(ConfigFactory.parseResources(plugins, "reference.conf")
                            .root());
        }
    }
}
