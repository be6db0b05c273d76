package dev.patrol.core.cli;

import static dev.patrol.core.cli.CommandOutput.patrol;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The command line in-process: what goes to stdout and stderr, help on every command, exit codes. */
class MainTest {

    static Stream<String> commands() {
        return Main.commandLine().getSubcommands().keySet().stream().filter(name -> !name.equals("help"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void everyCommandAnswersHelp(String command) {
        CommandOutput help = patrol(command, "--help");

        assertThat(help.exitCode()).as(help.stderr()).isZero();
        assertThat(help.stdout()).startsWith("Usage: patrol " + command);
        assertThat(help.stderr()).doesNotContain("Unknown option");
        assertThat(patrol(command, "-h").stdout()).isEqualTo(help.stdout());
    }

    @Test
    void httpClientReadBuffersAreSmallUnlessSetOnTheCommandLine() {
        String saved = System.getProperty(Main.HTTP_CLIENT_BUFFER_PROPERTY);
        try {
            System.clearProperty(Main.HTTP_CLIENT_BUFFER_PROPERTY);
            Main.smallHttpClientBuffers();
            assertThat(System.getProperty(Main.HTTP_CLIENT_BUFFER_PROPERTY)).isEqualTo("1024");

            System.setProperty(Main.HTTP_CLIENT_BUFFER_PROPERTY, "16384");
            Main.smallHttpClientBuffers();
            assertThat(System.getProperty(Main.HTTP_CLIENT_BUFFER_PROPERTY)).isEqualTo("16384");
        } finally {
            if (saved == null) {
                System.clearProperty(Main.HTTP_CLIENT_BUFFER_PROPERTY);
            } else {
                System.setProperty(Main.HTTP_CLIENT_BUFFER_PROPERTY, saved);
            }
        }
    }

    @Test
    void checkConfigPrintsOnlyItsSummaryOnStdoutAndLogsOnStderr(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("patrol.conf");
        Files.writeString(config, "patrol { web.listen = \"127.0.0.1:9740\" }\n");

        CommandOutput run = patrol("check-config", config.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isNotBlank().doesNotContainPattern(CommandOutput.LOG_LINE);
        assertThat(run.stderr()).containsPattern(CommandOutput.LOG_LINE).contains("Loaded check plugins");
    }

    @Test
    void checkConfigPrintsItsProblemsOnStdout(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("patrol.conf");
        Files.writeString(config, "patrol {\n  web.lisen = \"127.0.0.1:9740\"\n}\n");

        CommandOutput run = patrol("check-config", config.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout())
                .startsWith(config + ":2: patrol.web.lisen")
                .doesNotContainPattern(CommandOutput.LOG_LINE);
    }

    @Test
    void aFailedStartIsNotFollowedByPatrolStopped(@TempDir Path dir) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path config = dir.resolve("patrol.conf");
            Files.writeString(
                    config,
                    "patrol { web.listen = \"127.0.0.1:" + taken.getLocalPort() + "\", state-dir = \"" + dir
                            + "\" }\n");

            CommandOutput run = patrol("run", "--config", config.toString());

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.stderr()).contains("Cannot listen on 127.0.0.1:" + taken.getLocalPort());
            assertThat(run.stderr()).doesNotContain("Patrol started").doesNotContain("Patrol stopped");
        }
    }
}
