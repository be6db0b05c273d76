package dev.patrol.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckPlugin;
import dev.patrol.api.CheckResult;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.core.config.ConfigLoader;
import dev.patrol.core.config.PatrolSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRegistryTest {
    @TempDir
    Path dir;

    private static CheckPlugin plugin(String type) {
        return new CheckPlugin() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public CheckDefinition parse(Config block) {
                return (target, context) -> CompletableFuture.completedFuture(CheckResult.ok(type));
            }
        };
    }

    @Nested
    class FixedList {
        @Test
        void looksPluginsUpByType() {
            CheckPlugin http = plugin("http");
            PluginRegistry registry = new PluginRegistry(List.of(plugin("ssh-command"), http));

            assertThat(registry.types()).containsExactly("http", "ssh-command");
            assertThat(registry.plugin("http")).containsSame(http);
            assertThat(registry.plugin("ftp")).isEmpty();
            assertThat(registry.classLoader()).isSameAs(PluginRegistry.class.getClassLoader());
        }

        @Test
        void rejectsTypesThatAreNotKebabCase() {
            assertThatThrownBy(() -> new PluginRegistry(List.of(plugin("Ssh_Command"), plugin("-x"))))
                    .isInstanceOf(PluginLoadException.class)
                    .satisfies(e -> assertThat(((PluginLoadException) e).problems())
                            .hasSize(2)
                            .allMatch(problem -> problem.contains("expected kebab-case such as 'ssh-command'")));
        }

        @Test
        void rejectsDuplicateTypes() {
            assertThatThrownBy(() -> new PluginRegistry(List.of(plugin("http"), plugin("http"))))
                    .isInstanceOf(PluginLoadException.class)
                    .hasMessageContaining("plugin type 'http' of ")
                    .hasMessageContaining("is already provided by");
        }
    }

    @Nested
    class PluginsDirectory {
        private Path greeterJar(String jarName, String className, String type) {
            return PluginJars.jar(
                    dir.resolve("plugins.d").resolve(jarName),
                    Map.of(className, PluginJars.pluginSource(className, type)),
                    List.of("plugind." + className),
                    Map.of("reference.conf", "patrol.plugin-defaults." + type + " {\n  greeting = hello\n}\n"));
        }

        @Test
        void aMissingDirectoryAddsNoPlugins() {
            PluginRegistry registry = PluginRegistry.discover(dir.resolve("absent"));

            assertThat(registry.classLoader()).isSameAs(PluginRegistry.class.getClassLoader());
            assertThat(PluginRegistry.jars(dir.resolve("absent"))).isEmpty();
        }

        @Test
        void findsThePluginsOfEveryJarThroughOneClassLoader() throws IOException {
            greeterJar("b-greeter.jar", "BGreeter", "b-greeter");
            greeterJar("a-greeter.jar", "AGreeter", "a-greeter");
            Files.writeString(dir.resolve("plugins.d/notes.txt"), "not a jar");

            try (PluginRegistry registry = PluginRegistry.discover(dir.resolve("plugins.d"))) {
                assertThat(PluginRegistry.jars(dir.resolve("plugins.d")))
                        .extracting(jar -> jar.getFileName().toString())
                        .containsExactly("a-greeter.jar", "b-greeter.jar");
                assertThat(registry.types()).contains("a-greeter", "b-greeter");
                assertThat(registry.plugin("a-greeter").orElseThrow().getClass().getClassLoader())
                        .isSameAs(registry.classLoader());
                Config reference = ConfigFactory.parseResources(registry.classLoader(), "reference.conf");
                assertThat(reference.getString("patrol.plugin-defaults.b-greeter.greeting"))
                        .isEqualTo("hello");
                assertThat(reference.hasPath("patrol.web.listen")).isTrue();
            }
        }

        @Test
        void aDuplicateTypeNamesBothJars() throws IOException {
            greeterJar("one.jar", "One", "greeter");
            greeterJar("two.jar", "Two", "greeter");

            PluginLoadException e = catchThrowableOfType(
                    PluginLoadException.class, () -> PluginRegistry.discover(dir.resolve("plugins.d")));

            assertThat(e.problems())
                    .containsExactly("plugin type 'greeter' of plugind.Two in " + dir.resolve("plugins.d/two.jar")
                            + " is already provided by plugind.One in " + dir.resolve("plugins.d/one.jar"));
        }

        @Test
        void aTypeThatIsNotKebabCaseNamesItsJar() throws IOException {
            greeterJar("shouty.jar", "Shouty", "SHOUTY");

            assertThatThrownBy(() -> PluginRegistry.discover(dir.resolve("plugins.d")))
                    .isInstanceOf(PluginLoadException.class)
                    .hasMessage("plugin plugind.Shouty in " + dir.resolve("plugins.d/shouty.jar")
                            + " has type 'SHOUTY', expected kebab-case such as 'ssh-command'");
        }

        @Test
        void aProviderThatDoesNotExistNamesItsJar() throws IOException {
            PluginJars.jar(
                    dir.resolve("plugins.d/broken.jar"),
                    Map.of("Real", PluginJars.pluginSource("Real", "real")),
                    List.of("plugind.Missing"),
                    Map.of());

            assertThatThrownBy(() -> PluginRegistry.discover(dir.resolve("plugins.d")))
                    .isInstanceOf(PluginLoadException.class)
                    .hasMessageStartingWith("plugin jar " + dir.resolve("plugins.d/broken.jar") + ": ")
                    .hasMessageContaining("plugind.Missing");
        }

        @Test
        void aJarPluginsReferenceConfDefinesItsKeys() throws IOException {
            greeterJar("greeter.jar", "Greeter", "greeter");
            Path main = dir.resolve("patrol.conf");
            Files.writeString(
                    main,
                    """
                    patrol.targets.web-1.host = "10.0.0.11"
                    patrol.plugin-defaults.greeter.greeting = howdy
                    patrol.checks {
                      hello { type = greeter, targets = "*" }
                      hi { type = greeter, targets = "*", greeting = hi }
                    }
                    """);
            ConfigLoader loader = ConfigLoader.discovering();

            PatrolSettings settings = loader.load(main);

            assertThat(settings.checks().get("hello").block().getString("greeting"))
                    .isEqualTo("howdy");
            assertThat(settings.checks().get("hi").block().getString("greeting"))
                    .isEqualTo("hi");
            ClassLoader first =
                    settings.checks().get("hi").definition().getClass().getClassLoader();
            assertThat(loader.load(main)
                            .checks()
                            .get("hi")
                            .definition()
                            .getClass()
                            .getClassLoader())
                    .as("an unchanged plugins.d keeps its class loader across reloads")
                    .isSameAs(first);

            Files.writeString(main, "patrol.checks.hello { type = greeter, targets = [], greting = hi }\n");
            InvalidSettingsException e = catchThrowableOfType(InvalidSettingsException.class, () -> loader.load(main));
            assertThat(e.problems()).anyMatch(problem -> problem.format()
                    .equals(main + ":1: patrol.checks.hello.greting: unknown key, did you mean 'greeting'?"));
        }

        @Test
        void aBrokenPluginsDirIsReportedAtThePluginsDirKey() throws IOException {
            PluginJars.jar(
                    dir.resolve("ext/one.jar"),
                    Map.of("One", PluginJars.pluginSource("One", "greeter")),
                    List.of("plugind.One"),
                    Map.of());
            PluginJars.jar(
                    dir.resolve("ext/two.jar"),
                    Map.of("Two", PluginJars.pluginSource("Two", "greeter")),
                    List.of("plugind.Two"),
                    Map.of());
            Path main = dir.resolve("patrol.conf");
            Files.writeString(main, "\npatrol.plugins-dir = ext\n");

            assertThatThrownBy(() -> ConfigLoader.discovering().load(main))
                    .isInstanceOf(InvalidSettingsException.class)
                    .hasMessage(main + ":2: patrol.plugins-dir: plugin type 'greeter' of plugind.Two in "
                            + dir.resolve("ext/two.jar") + " is already provided by plugind.One in "
                            + dir.resolve("ext/one.jar"));
        }
    }
}
