package dev.patrol.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.core.Agent;
import dev.patrol.core.ConfigSource;
import dev.patrol.core.config.TestPlugins;
import dev.patrol.core.web.ReloadResult;
import io.prometheus.client.CollectorRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Configurations shaped like what users write ({@code src/test/resources/corpus/<case>/patrol.conf}, with conf.d and
 * includes), plus a generated fleet of several hundred targets, each run through {@code check-config}, an agent start
 * and a reload: every one must come out clean. The selector crash of issue 7 passed every designed case and failed
 * the first realistic one.
 */
class ConfigCorpusTest {
    @TempDir
    Path dir;

    static Stream<String> cases() throws IOException {
        try (Stream<Path> folders = Files.list(corpus())) {
            return folders.map(folder -> folder.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void checkConfigAcceptsIt(String name) {
        Output result = checkConfig(TestPlugins.source(corpus().resolve(name).resolve("patrol.conf")));

        assertThat(result.exitCode()).as(result.text()).isZero();
        assertThat(result.text()).contains("configuration OK").doesNotContain("Exception", "problem");
    }

    @Test
    void checkConfigAcceptsAGeneratedFleet() {
        Output result = checkConfig(TestPlugins.source(fleet()));

        assertThat(result.exitCode()).as(result.text()).isZero();
        assertThat(result.text()).contains("configuration OK", "600 targets");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theAgentStartsWithItAndReloadsIt(String name) {
        ConfigSource source = TestPlugins.source(corpus().resolve(name).resolve("patrol.conf"));
        try (Agent agent = Agent.start(source)) {
            int checks = agent.settings().checks().size();

            ReloadResult reload = agent.reload();

            assertThat(reload.success())
                    .as(String.join("\n", reload.messages()))
                    .isTrue();
            assertThat(agent.settings().checks()).hasSize(checks).isNotEmpty();
            assertThat(reloadGauge(agent.registry())).isEqualTo(1.0);
        }
    }

    /** One agent reloaded through every case and the fleet in turn, as an operator editing files would. */
    @Test
    void oneAgentReloadsThroughTheWholeCorpus() throws IOException {
        AtomicReference<Path> current = new AtomicReference<>(fleet());
        ConfigSource source = () -> TestPlugins.source(current.get()).load();
        List<String> names = cases().toList();
        try (Agent agent = Agent.start(source)) {
            assertThat(agent.settings().targets()).hasSize(600);
            for (String name : names) {
                current.set(corpus().resolve(name).resolve("patrol.conf"));

                ReloadResult reload = agent.reload();

                assertThat(reload.success()).as(name + ": " + reload.messages()).isTrue();
            }
            double successes = agent.registry()
                    .getSampleValue("patrol_config_reloads_total", new String[] {"result"}, new String[] {"success"});
            assertThat(successes).isEqualTo(names.size());
        }
    }

    record Output(int exitCode, String text) {}

    static Output checkConfig(ConfigSource source) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = CheckConfigCommand.check(source, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Output(code, bytes.toString(StandardCharsets.UTF_8));
    }

    static double reloadGauge(CollectorRegistry registry) {
        return registry.getSampleValue("patrol_config_last_reload_successful");
    }

    /**
     * 600 targets: a third with role and env, a third with env only, a third without labels; checks by label, label
     * list, "*", names, and fixed URLs.
     */
    private Path fleet() {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder("patrol.web.listen = \"127.0.0.1:0\"\npatrol.targets {\n");
        List<String> names = new ArrayList<>();
        for (int t = 0; t < 600; t++) {
            String name = "host-" + t;
            names.add(name);
            text.append("  ")
                    .append(name)
                    .append(" { host = \"10.1.")
                    .append(t / 250)
                    .append('.');
            text.append(t % 250).append('"');
            switch (t % 3) {
                case 0 -> text.append(", labels { role = ")
                        .append(List.of("web", "db", "cache").get(random.nextInt(3)))
                        .append(", env = prod }");
                case 1 -> text.append(", labels { env = ")
                        .append(random.nextBoolean() ? "prod" : "dev")
                        .append(" }");
                default -> {}
            }
            text.append(" }\n");
        }
        text.append("}\npatrol.checks {\n");
        text.append("  web { type = ping, targets { role = web }, expose-labels = [env] }\n");
        text.append("  data { type = ping, targets { role = [db, cache], env = prod } }\n");
        text.append("  prod { type = ping, targets { env = prod }, interval = 1m }\n");
        text.append("  all { type = ping, targets = \"*\", interval = 5m }\n");
        for (int c = 0; c < 50; c++) {
            text.append("  named-")
                    .append(c)
                    .append(" { type = ping, targets = [")
                    .append(names.get(random.nextInt(names.size())))
                    .append(", ")
                    .append(names.get(random.nextInt(names.size())))
                    .append("] }\n");
            text.append("  site-")
                    .append(c)
                    .append(" { type = probe, url = \"https://site-")
                    .append(c);
            text.append(".example.com/health\" }\n");
        }
        text.append("}\n");
        Path file = dir.resolve("fleet.conf");
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }

    private static Path corpus() {
        try {
            return Path.of(ConfigCorpusTest.class.getResource("/corpus").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
