package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.core.Agent;
import dev.patrol.core.demo.DemoTargets;
import dev.patrol.core.state.SeriesState;
import dev.patrol.testing.Promtool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The newcomer's path end to end: the demo's targets and agent, one full cycle of every check, then {@code /metrics}
 * linted by the real promtool and compared with the golden exposition (values that change from run to run masked).
 */
class DemoIT {
    /** Families whose values depend on time or on how many runs happened; their values are masked. */
    private static final Pattern VOLATILE = Pattern.compile(
            "^(patrol_check_duration_seconds|patrol_check_last_run_timestamp_seconds|patrol_check_runs_total"
                    + "|patrol_check_skipped_total|patrol_sample_\\w+|patrol_http_\\w+|patrol_ssh_\\w+"
                    // Log lines, bytes and matches grow with the demo log, which a run reads at its own pace.
                    + "|patrol_log_(?:lines|bytes|pattern_matches|lag|rotations)\\w*"
                    // Logging is process-wide: other agents in the same test JVM add to this one.
                    + "|patrol_log_messages_suppressed_total)[{ ]");
    /**
     * Checks whose status depends on the clock (flaky-service is down one minute in four, queue cycles through
     * WARNING and CRITICAL, the worker crashes and is restarted by its action) or on the machine (load and disk read real numbers): their series are left out.
     */
    private static final List<String> UNSTABLE = List.of(
            "check=\"flaky-service\"",
            "check=\"queue\"",
            "check=\"load\"",
            "check=\"disk\"",
            "check=\"worker\"",
            "action=\"restart-worker\"",
            // The backup job runs at the start of each minute: before its first run and after it, its series differ.
            "job=\"orders-dump\"");

    private static RunningDemo demo;
    private static DemoTargets targets;
    private static Agent agent;

    @BeforeAll
    static void startDemo() throws IOException {
        demo = RunningDemo.start();
        targets = demo.targets();
        agent = demo.agent();
    }

    @AfterAll
    static void stopDemo() {
        if (demo != null) {
            Path files = demo.directory();
            demo.close();
            // The folder held the demo's private SSH key.
            assertThat(files).doesNotExist();
        }
    }

    private static void awaitOneCycle() {
        demo.awaitOneCycle();
    }

    @Test
    void everyDemoCheckRunsAndReportsTheExpectedStatus() {
        awaitOneCycle();
        assertThat(agent.store().all())
                .extracting(series -> series.key().toString())
                .containsExactlyInAnyOrder(
                        "agent-health/127.0.0.1:" + agent.port(),
                        "api-health/demo-api-1",
                        "api-health/demo-api-2",
                        "flaky-service/" + targets.address(),
                        "missing-page/" + targets.address(),
                        "slow-report/" + targets.address(),
                        "load/demo-host-1",
                        "load/demo-host-2",
                        "disk/demo-host-1",
                        "disk/demo-host-2",
                        "node-stats/demo-host-1",
                        "node-stats/demo-host-2",
                        "queue/demo-host-1",
                        "worker/demo-host-1",
                        "hung-job/demo-host-2",
                        "app-log/demo-host-1");
        awaitExpectedStatuses();
    }

    /**
     * Waits until the demo shows what it is built to show. Eventually, not at once: on a busy machine a healthy
     * check's first run may miss its deadline, and the next one is the one that counts.
     */
    private static void awaitExpectedStatuses() {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(status("api-health/demo-api-1")).isEqualTo("OK");
                    assertThat(status("agent-health/127.0.0.1:" + agent.port())).isEqualTo("OK");
                    assertThat(status("missing-page/" + targets.address())).isEqualTo("CRITICAL");
                    assertThat(status("node-stats/demo-host-1")).isEqualTo("OK");
                    assertThat(status("node-stats/demo-host-2")).isEqualTo("OK");
                    assertThat(status("app-log/demo-host-1")).isEqualTo("OK");
                    assertThat(agent.store().all().stream()
                                    .filter(series -> Set.of("slow-report", "hung-job")
                                            .contains(series.key().check()))
                                    .map(series -> series.last()
                                            .orElseThrow()
                                            .outcome()
                                            .label()))
                            .containsExactly("timeout", "timeout");
                });
    }

    /**
     * The demo's fetch job backs up the dump on its SSH target within a minute or so (its cron fires at the start of
     * each minute): the copy has the remote file's bytes, under a run folder with a manifest of its checksum.
     */
    @Test
    void theBackupJobFetchesTheDumpWithItsChecksum() throws Exception {
        Path remote = demo.directory().resolve("ssh/files/var/backups/demo/orders.sql");
        Path backups = demo.directory().resolve("state/backups/orders-dump/demo-host-1");
        await().atMost(Duration.ofSeconds(150))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> runFolders(backups).stream().anyMatch(run -> Files.exists(run.resolve("manifest.json"))));
        Path run = runFolders(backups).stream()
                .filter(folder -> Files.exists(folder.resolve("manifest.json")))
                .findFirst()
                .orElseThrow();
        byte[] expected = Files.readAllBytes(remote);

        assertThat(run.resolve("orders.sql")).hasBinaryContent(expected);
        String sha256 = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(expected));
        assertThat(Files.readString(run.resolve("manifest.json")))
                .contains("\"sha256\": \"" + sha256 + "\"")
                .contains("\"size\": " + expected.length);
    }

    private static List<Path> runFolders(Path backups) throws IOException {
        if (!Files.isDirectory(backups)) {
            return List.of();
        }
        try (var folders = Files.list(backups)) {
            return folders.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static String status(String key) {
        return agent.store().all().stream()
                .filter(series -> series.key().toString().equals(key))
                .map(SeriesState::last)
                .map(last -> last.orElseThrow().result().status().name())
                .findFirst()
                .orElseThrow();
    }

    @Test
    void metricsPassPromtoolAndMatchTheGoldenFile() throws Exception {
        awaitOneCycle();
        awaitExpectedStatuses();
        String exposition = Scrape.metrics(agent.port());
        Promtool.Report report = Promtool.require().checkMetrics(exposition);
        assertThat(report.parsed()).as(report.output()).isTrue();
        assertThat(report.findings()).as(report.output()).isEmpty();

        String actual = golden(exposition, agent.port(), targets.port());
        Path goldenFile = Path.of("src/test/resources/golden/metrics.txt");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(goldenFile, actual, StandardCharsets.UTF_8);
        }
        String expected = Files.readString(goldenFile, StandardCharsets.UTF_8);
        assertThat(actual)
                .as("golden metrics differ (- golden, + scraped):%n%s", difference(expected, actual))
                .isEqualTo(expected);
    }

    /**
     * The patrol_* part of the exposition, ports replaced by placeholders and volatile values masked. JVM families
     * are left out: they differ between JDKs.
     */
    static String golden(String exposition, int agentPort, int targetPort) {
        // The registry's family order is not stable between runs, so families are sorted by name.
        Map<String, List<String>> families = new TreeMap<>();
        String family = "";
        for (String line : exposition.split("\n")) {
            if (line.startsWith("# HELP ")) {
                family = line.split(" ")[2];
            }
            if (!family.startsWith("patrol_")
                    || family.equals("patrol_scheduler_lateness_seconds")
                    || family.equals("patrol_checks_in_flight")
                    || family.startsWith("patrol_agent_stalled_seconds")
                    || family.equals("patrol_config_last_reload_success_timestamp_seconds")
                    || UNSTABLE.stream().anyMatch(line::contains)) {
                continue;
            }
            families.computeIfAbsent(family, name -> new ArrayList<>())
                    .add(mask(line.replace(":" + agentPort, ":AGENT_PORT").replace(":" + targetPort, ":TARGET_PORT")));
        }
        // Series inside a family come out in the order of the client's hash map, which depends on the order they
        // were created in when two land in one bucket: that is timing, not meaning, so they are sorted too.
        // A family whose every series was left out is left out whole: whether it exists at all depends on whether
        // those checks have produced their samples yet (patrol_sample_uptime_seconds comes from "load" alone).
        return families.values().stream()
                        .filter(lines -> lines.stream().anyMatch(line -> !line.startsWith("#")))
                        .flatMap(lines -> Stream.concat(
                                lines.stream().filter(line -> line.startsWith("#")),
                                lines.stream()
                                        .filter(line -> !line.startsWith("#"))
                                        .sorted()))
                        .collect(Collectors.joining("\n"))
                + "\n";
    }

    /** The lines only one side has, so that a mismatch names what differs instead of printing both expositions. */
    static String difference(String expected, String actual) {
        Set<String> expectedLines = new LinkedHashSet<>(List.of(expected.split("\n")));
        Set<String> actualLines = new LinkedHashSet<>(List.of(actual.split("\n")));
        StringBuilder report = new StringBuilder();
        expectedLines.stream()
                .filter(line -> !actualLines.contains(line))
                .forEach(line -> report.append("- ").append(line).append('\n'));
        actualLines.stream()
                .filter(line -> !expectedLines.contains(line))
                .forEach(line -> report.append("+ ").append(line).append('\n'));
        return report.length() == 0 ? "same lines, other order" : report.toString();
    }

    private static String mask(String line) {
        if (line.startsWith("#")) {
            return line;
        }
        Matcher volatileFamily = VOLATILE.matcher(line);
        if (volatileFamily.find()) {
            return line.substring(0, line.lastIndexOf(' ') + 1) + "<value>";
        }
        return line;
    }
}
