package dev.patrol.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code promtool check metrics} (Debian package {@code prometheus}) on an exposition, the lint
 * node_exporter runs in CI. Findings are returned, not asserted, so a test can list known exceptions explicitly:
 *
 * <pre>{@code
 * Promtool.Report report = Promtool.require().checkMetrics(scrape);
 * assertThat(report.parsed()).as(report.output()).isTrue();
 * assertThat(report.findingsExcept(Set.of("jvm_classes_loaded"))).isEmpty();
 * }</pre>
 *
 * <p>If promtool is not installed the calling test is skipped, except under {@code CI=true}, where it fails: a CI
 * machine without the peer must not pass silently.
 *
 * <p>Thread-safe: each check runs its own process.
 */
public final class Promtool {
    private static final long TIMEOUT_SECONDS = 60;

    private final Path executable;

    private Promtool(Path executable) {
        this.executable = executable;
    }

    /** The installed promtool; skips the test when it is missing, or fails it under {@code CI=true}. */
    public static Promtool require() {
        return new Promtool(TestPeers.require("promtool"));
    }

    /**
     * Lints {@code exposition} (Prometheus text format 0.0.4, which is what promtool parses).
     *
     * @throws IOException if promtool cannot be run or does not finish within a minute
     */
    public Report checkMetrics(String exposition) throws IOException, InterruptedException {
        Path input = Files.createTempFile("promtool-input", ".prom");
        Path output = Files.createTempFile("promtool-output", ".txt");
        try {
            Files.writeString(input, exposition, StandardCharsets.UTF_8);
            // Files on both ends, so neither side can block on a full pipe.
            Process process = new ProcessBuilder(executable.toString(), "check", "metrics")
                    .redirectInput(input.toFile())
                    .redirectOutput(output.toFile())
                    .redirectErrorStream(true)
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("promtool check metrics did not finish within " + TIMEOUT_SECONDS + " s");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            return new Report(process.exitValue(), parse(text), text);
        } finally {
            Files.deleteIfExists(input);
            Files.deleteIfExists(output);
        }
    }

    /** promtool prints one {@code metric_name text} line per lint problem. */
    private static List<Finding> parse(String text) {
        List<Finding> findings = new ArrayList<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int space = trimmed.indexOf(' ');
            findings.add(
                    space < 0
                            ? new Finding("", trimmed)
                            : new Finding(trimmed.substring(0, space), trimmed.substring(space + 1)));
        }
        return findings;
    }

    /** One lint problem about one metric family. */
    public record Finding(String metric, String text) {
        @Override
        public String toString() {
            return metric + " " + text;
        }
    }

    /**
     * What one run found.
     *
     * @param exitCode 0 clean, 3 lint problems only, anything else an exposition promtool could not parse
     * @param findings each line of output as a finding (on a parse failure, the error)
     * @param output the raw output, for assertion messages
     */
    public record Report(int exitCode, List<Finding> findings, String output) {
        public Report {
            findings = List.copyOf(findings);
        }

        /** Whether promtool could parse the exposition at all (exit 0 or 3). */
        public boolean parsed() {
            return exitCode == 0 || exitCode == 3;
        }

        /** The findings about metrics not in {@code knownExceptions}. */
        public List<Finding> findingsExcept(Collection<String> knownExceptions) {
            return findings.stream()
                    .filter(finding -> !knownExceptions.contains(finding.metric()))
                    .toList();
        }
    }
}
