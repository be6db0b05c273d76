package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.core.demo.DemoTargets;
import dev.patrol.testing.TestPorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The built launcher, {@code packaging/target/bin/patrol}, as a user runs it: exit codes, output, SIGHUP. */
class LauncherIT {
    static final Path LAUNCHER = Path.of("target/bin/patrol").toAbsolutePath();

    private record Run(int exitCode, String output) {}

    private static Run patrol(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(dir, "patrol", ".out");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("patrol %s finished", args[0])
                .isTrue();
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /** A log line as logback.xml formats it: optional timestamp or priority prefix, then the level. */
    private static final String LOG_LINE = "(?m)^(\\S+ |<\\d>)?(TRACE|DEBUG|INFO|WARN|ERROR) +\\S+ - .*";

    private record Streams(int exitCode, String stdout, String stderr) {}

    private static Streams patrolApart(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile(dir, "patrol", ".out");
        Path stderr = Files.createTempFile(dir, "patrol", ".err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("patrol %s finished", args[0])
                .isTrue();
        return new Streams(
                process.exitValue(),
                Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    @Test
    void stdoutCarriesOnlyTheCommandsOutputSoItCanBePiped(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("patrol.conf");
        Files.writeString(
                config,
                "patrol {\n  checks {\n    site { type = http, url = \"http://127.0.0.1:1/\", interval = 15s }\n  }\n}\n");

        Streams run = patrolApart(dir, "check-config", config.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("site").doesNotContainPattern(LOG_LINE);
        assertThat(run.stderr()).contains("Loaded check plugins");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"run", "check-config", "test-check", "demo", "version"})
    void everyCommandAnswersHelp(String command, @TempDir Path dir) throws Exception {
        Streams help = patrolApart(dir, command, "--help");

        assertThat(help.exitCode()).as(help.stderr()).isZero();
        assertThat(help.stdout()).startsWith("Usage: patrol " + command);
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void theDemoDeletesItsKeysAndConfigWhenStopped(String signal, @TempDir Path dir) throws Exception {
        int port = TestPorts.free();
        Path stdout = dir.resolve("demo.out");
        Process demo = new ProcessBuilder(LAUNCHER.toString(), "demo", "--listen", "127.0.0.1:" + port)
                .redirectOutput(stdout.toFile())
                .redirectError(dir.resolve("demo.err").toFile())
                .start();
        Path files;
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.readString(stdout).contains("Press Ctrl-C"));
            Matcher config = Pattern.compile("config used: +(\\S+)").matcher(Files.readString(stdout));
            assertThat(config.find()).isTrue();
            files = Path.of(config.group(1)).getParent();
            assertThat(files.getFileName().toString()).startsWith("patrol-demo-");
            try (Stream<Path> inside = Files.walk(files)) {
                assertThat(inside.map(path -> path.getFileName().toString())).contains("patrol.conf", "ssh");
            }
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> Scrape.get(port, "/-/ready")
                    .contains("Ready"));

            new ProcessBuilder("kill", "-" + signal, String.valueOf(demo.pid()))
                    .start()
                    .waitFor();
            assertThat(demo.waitFor(30, TimeUnit.SECONDS))
                    .as("demo stopped on SIG%s", signal)
                    .isTrue();
        } finally {
            demo.destroyForcibly();
        }
        assertThat(files).as("the demo's folder, with its private key").doesNotExist();
    }

    @Test
    void versionPrintsTheVersion(@TempDir Path dir) throws Exception {
        Run run = patrol(dir, "version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.output()).startsWith("patrol ").doesNotContain("unknown");
    }

    @Test
    void checkConfigPrintsASummaryOrEveryProblem(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.conf");
        Files.writeString(
                good,
                "patrol {\n  checks {\n    site { type = http, url = \"http://127.0.0.1:1/\", interval = 15s }\n  }\n}\n");
        Run ok = patrol(dir, "check-config", good.toString());
        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("site");

        Path bad = dir.resolve("bad.conf");
        Files.writeString(
                bad,
                "patrol {\n  checks {\n    site {\n      type = htp\n    }\n    other { type = http, url = \"http://x/\", intervall = 5s }\n  }\n}\n");
        Run failed = patrol(dir, "check-config", bad.toString());
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.output())
                .contains(bad + ":4: patrol.checks.site.type:")
                .contains(bad + ":6: patrol.checks.other.intervall:")
                .contains("interval");
    }

    @Test
    void testCheckRunsOneCheckAndExitsWithItsStatus(@TempDir Path dir) throws Exception {
        try (DemoTargets target = DemoTargets.start()) {
            Path config = dir.resolve("patrol.conf");
            Files.writeString(
                    config,
                    "patrol {\n  checks {\n"
                            + "    up { type = http, url = \"http://" + target.address()
                            + "/health\", samples { depth = \"$.queue.depth\" } }\n"
                            + "    missing { type = http, url = \"http://" + target.address() + "/nope\" }\n"
                            + "  }\n}\n");
            Run up = patrol(dir, "test-check", "--config", config.toString(), "up");
            assertThat(up.exitCode()).as(up.output()).isZero();
            assertThat(up.output()).contains("OK").contains("patrol_sample_depth");
            Run missing = patrol(dir, "test-check", "--config", config.toString(), "missing");
            assertThat(missing.exitCode()).as(missing.output()).isEqualTo(2);
            assertThat(missing.output()).contains("status_mismatch");
        }
    }

    @Test
    void runRefusesABadConfigAndReloadsOnSighup(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("patrol.conf");
        Files.writeString(config, "patrol { web.listen = \"127.0.0.1:0\", checks { x { type = nope } } }\n");
        Run refused = patrol(dir, "run", "--config", config.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).contains(config + ":1: patrol.checks.x.type:");

        try (DemoTargets target = DemoTargets.start()) {
            int port = TestPorts.free();
            String base = "patrol {\n  web.listen = \"127.0.0.1:" + port + "\"\n  state-dir = \"" + dir + "\"\n"
                    + "  defaults { interval = 1s }\n  checks {\n"
                    + "    first { type = http, url = \"http://" + target.address() + "/health\" }\n";
            Files.writeString(config, base + "  }\n}\n");
            // SIGHUP at its default: a test run under nohup (or any parent that ignores it) hands the agent an
            // ignored SIGHUP, which the JVM then keeps ignoring, so the reload below would never come.
            Process agent = new ProcessBuilder(
                            "env", "--default-signal=HUP", LAUNCHER.toString(), "run", "--config", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("agent.log").toFile())
                    .start();
            try {
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> Scrape.get(port, "/-/ready")
                        .contains("Ready"));
                Files.writeString(
                        config,
                        base + "    second { type = http, url = \"http://" + target.address()
                                + "/health\" }\n  }\n}\n");
                new ProcessBuilder("kill", "-HUP", String.valueOf(agent.pid()))
                        .start()
                        .waitFor();
                Path log = dir.resolve("agent.log");
                try {
                    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> Scrape.metrics(port)
                            .contains("check=\"second\""));
                } catch (ConditionTimeoutException e) {
                    // It failed on fresh-clone CI runs only; what the agent said is the way to find out why.
                    throw new AssertionError("no reload seen; agent.log:\n" + readQuietly(log), e);
                }
            } finally {
                agent.destroy();
                assertThat(agent.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(Files.readString(dir.resolve("agent.log")))
                    .contains("Reloaded")
                    .doesNotContain("SIGHUP was ignored");
        }
    }

    @Test
    void anAgentStartedWithSighupIgnoredSaysSoAndStillReloadsOverHttp(@TempDir Path dir) throws Exception {
        try (DemoTargets target = DemoTargets.start()) {
            int port = TestPorts.free();
            Path config = dir.resolve("patrol.conf");
            String base = "patrol {\n  web.listen = \"127.0.0.1:" + port + "\"\n  state-dir = \"" + dir + "\"\n"
                    + "  defaults { interval = 1s }\n  checks {\n"
                    + "    first { type = http, url = \"http://" + target.address() + "/health\" }\n";
            Files.writeString(config, base + "  }\n}\n");
            // What nohup does: the agent inherits SIGHUP ignored, and the JVM cannot take it back.
            Path log = dir.resolve("agent.log");
            Process agent = new ProcessBuilder(
                            "env", "--ignore-signal=HUP", LAUNCHER.toString(), "run", "--config", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> Scrape.get(port, "/-/ready")
                        .contains("Ready"));
                assertThat(Files.readString(log)).contains("SIGHUP was ignored when Patrol started");

                Files.writeString(
                        config,
                        base + "    second { type = http, url = \"http://" + target.address()
                                + "/health\" }\n  }\n}\n");
                assertThat(Scrape.post(port, "/-/reload").statusCode()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> Scrape.metrics(port)
                        .contains("check=\"second\""));
                assertThat(agent.isAlive()).isTrue();
            } finally {
                agent.destroy();
                assertThat(agent.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
