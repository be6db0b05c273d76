package dev.patrol.core.cli;

import static dev.patrol.core.cli.ConfigCorpusTest.checkConfig;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.core.config.TestPlugins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckConfigCommandTest {
    @TempDir
    Path dir;

    @Test
    void oneOfEachIsCountedInTheSingular() throws IOException {
        Path file = Files.writeString(
                dir.resolve("patrol.conf"),
                """
                patrol.targets.web-1 { host = "10.0.0.11" }
                patrol.checks.up { type = ping, targets { role = web } }
                """);

        ConfigCorpusTest.Output result = checkConfig(TestPlugins.source(file));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.text())
                .isEqualTo(file + ":2: patrol.checks.up.targets: expected a selector that matches at least one target,"
                        + " { role = \"web\" } matches none\n1 problem\n");
    }

    @Test
    void anOpenUnauthenticatedListenerIsAWarningLineAndStillPasses() throws IOException {
        Path file = Files.writeString(
                dir.resolve("patrol.conf"),
                """
                patrol.web.listen = "0.0.0.0:9740"
                patrol.targets.web-1 { host = "10.0.0.11", labels { role = web } }
                patrol.checks.up { type = ping, targets { role = web } }
                """);

        ConfigCorpusTest.Output result = checkConfig(TestPlugins.source(file));

        assertThat(result.exitCode()).isZero();
        assertThat(result.text())
                .contains("1 check, 1 target, 1 (check, target) pair, 2 fires per minute")
                .contains("\nwarning: patrol.web.listen: 0.0.0.0:9740 is reachable beyond this machine with neither"
                        + " patrol.web.tls nor patrol.web.basic-auth-users");
    }

    @Test
    void aFaultOfTheAgentIsOneProblemLineNotAStackTrace() {
        ConfigCorpusTest.Output result = checkConfig(() -> {
            throw new IllegalStateException("simulated bug");
        });

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.text())
                .isEqualTo("patrol: the agent failed to load this configuration (please report it):"
                        + " java.lang.IllegalStateException: simulated bug\n1 problem\n");
    }
}
