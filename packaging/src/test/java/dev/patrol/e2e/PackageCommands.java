package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system tools the packaging tests drive (dpkg, tar, systemd-analyze, the launcher) with a bounded wait,
 * no standard input and the output captured, so a tool that asks a question fails instead of hanging.
 */
final class PackageCommands {
    static final Path TARGET = Path.of("target").toAbsolutePath();

    private PackageCommands() {}

    /** What one command did. */
    record Result(List<String> command, int exitCode, String output) {
        /** Asserts exit status 0, showing the command and its output otherwise. */
        Result ok() {
            assertThat(exitCode)
                    .as("%s exited %d:%n%s", command, exitCode, output)
                    .isZero();
            return this;
        }
    }

    static Result run(String... command) throws IOException, InterruptedException {
        return run(Duration.ofMinutes(5), Map.of(), command);
    }

    static Result run(Duration timeout, Map<String, String> environment, String... command)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("patrol-command", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectInput(new File("/dev/null"))
                    .redirectOutput(output.toFile());
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(List.of(command) + " did not finish within " + timeout + ":\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(List.of(command), process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Whether {@code name} is an executable on this machine's PATH. */
    static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", name)) || Files.isExecutable(Path.of("/sbin", name));
    }

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The Maven project version, handed over by Failsafe (see packaging/pom.xml). */
    static String projectVersion() {
        String version = System.getProperty("patrol.version");
        assertThat(version)
                .as("system property patrol.version (set by Failsafe)")
                .isNotBlank();
        return version;
    }

    /** The version jdeb writes into the package: Debian's '~' sorts 0.1.0~SNAPSHOT before the release 0.1.0. */
    static String debianVersion() {
        return projectVersion().replace('-', '~');
    }

    static Path deb() {
        Path deb = TARGET.resolve("patrol_" + debianVersion() + "_all.deb");
        assertThat(deb).as("the .deb built by `mvn package`").isRegularFile();
        return deb;
    }

    static Path tarball() {
        Path tarball = TARGET.resolve("patrol-" + projectVersion() + ".tar.gz");
        assertThat(tarball).as("the .tar.gz built by `mvn package`").isRegularFile();
        return tarball;
    }
}
