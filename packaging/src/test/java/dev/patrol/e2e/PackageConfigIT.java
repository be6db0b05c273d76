package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.testing.ServerPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped configuration files pass {@code patrol check-config}: {@code conf/patrol.conf} as installed, the same
 * file with every commented-out setting switched on, and each complete example in {@code conf/examples/}.
 *
 * <p>The files name real server paths under {@code /etc/patrol/} (keys, known_hosts, token files), which check-config
 * requires to exist. Each test copies a file into a temporary folder, points those paths into it and creates them
 * there, so the files themselves stay as an admin would copy them.
 */
class PackageConfigIT {
    private static final Path CONF = Path.of("..", "conf").toAbsolutePath().normalize();
    private static final Path LAUNCHER = PackageCommands.TARGET.resolve("bin/patrol");

    @Test
    void shippedConfigIsValidAndMonitorsOnlyTheAgentItself(@TempDir Path dir) throws Exception {
        String shipped = Files.readString(CONF.resolve("patrol.conf"), StandardCharsets.UTF_8);
        assertThat(shipped).contains("web.listen = \"127.0.0.1:9740\"");

        PackageCommands.Result result = checkConfig(dir, "patrol.conf", shipped);
        assertThat(result.output())
                .contains("configuration OK")
                .contains("agent-health")
                .contains("1 check, 0 targets");
    }

    @Test
    void shippedConfigStaysValidWithEveryCommentedSettingSwitchedOn(@TempDir Path dir) throws Exception {
        String shipped = Files.readString(CONF.resolve("patrol.conf"), StandardCharsets.UTF_8);
        // `# key = value` lines are settings; `##` lines are prose and stay comments.
        String uncommented = shipped.lines()
                .map(line -> line.matches("\\s*# .*") ? line.replaceFirst("# ", "") : line)
                .collect(Collectors.joining("\n", "", "\n"));
        assertThat(uncommented)
                .isNotEqualTo(shipped)
                .contains("type = ssh-command")
                .contains("targets = { role = \"web\" }");

        PackageCommands.Result result = checkConfig(dir, "patrol.conf", uncommented);
        assertThat(result.output())
                .contains("configuration OK")
                .contains("root-disk")
                .contains("web-health");
    }

    @Test
    void everyExampleIsComplete(@TempDir Path dir) throws Exception {
        List<Path> examples;
        try (Stream<Path> files = Files.list(CONF.resolve("examples"))) {
            examples = files.filter(file -> file.toString().endsWith(".conf"))
                    .sorted()
                    .toList();
        }
        assertThat(examples)
                .extracting(file -> file.getFileName().toString())
                .contains("web-fleet.conf", "database-ssh.conf", "json-api.conf");
        for (Path example : examples) {
            String text = Files.readString(example, StandardCharsets.UTF_8);
            assertThat(text).as("%s explains itself", example).startsWith("## Example: ");
            PackageCommands.Result result =
                    checkConfig(dir, example.getFileName().toString(), text);
            assertThat(result.output()).as(example.toString()).contains("configuration OK");
        }
    }

    /** Runs check-config on {@code text} with its /etc/patrol paths moved into {@code dir}; it must succeed. */
    private static PackageCommands.Result checkConfig(Path dir, String name, String text)
            throws IOException, InterruptedException {
        Path etc = Files.createDirectories(dir.resolve(name.replace(".conf", "")));
        Path config = etc.resolve(name);
        Files.writeString(config, ServerPaths.moveUnder(text, etc), StandardCharsets.UTF_8);
        return PackageCommands.run(LAUNCHER.toString(), "check-config", config.toString())
                .ok();
    }
}
