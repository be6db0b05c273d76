package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.testing.TestPeers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and Prometheus alert rules shipped in {@code packaging/}: the rules pass the real
 * {@code promtool check rules} and their unit tests, the dashboard is valid JSON of the shape Grafana imports, and every
 * metric either of them queries is one a running agent really exposes, taken from a scrape of the demo agent.
 */
class MonitoringAssetsIT {
    private static final Path RULES = Path.of("prometheus/patrol-alerts.yml");
    private static final Path RULE_TESTS = Path.of("prometheus/patrol-alerts.test.yml");
    private static final Path OPERATIONS = Path.of("../docs/operations.md");
    private static final String RUNBOOKS = "https://patrol.example.com/docs/operations.md#";
    private static final Path DASHBOARD = Path.of("grafana/patrol-overview.json");
    private static final String DATASOURCE = "${datasource}";
    private static final Set<String> GRAFANA_BUILT_INS = Set.of("__rate_interval", "__interval", "__range");

    /** Names queried that the demo agent cannot show, each with the reason. */
    private static final Set<String> NOT_IN_THE_DEMO = Set.of(
            // Added by Prometheus to every scrape target, never exposed by the agent itself.
            "up",
            // Only an https check that completed a TLS handshake sets it; the demo's targets are plain HTTP.
            "patrol_http_tls_cert_expiry_timestamp_seconds",
            // Job families: exposed only by an agent with jobs (the schedule gap only for a scheduled job).
            "patrol_job_runs_total",
            "patrol_job_last_success_timestamp_seconds",
            "patrol_job_schedule_interval_seconds",
            "patrol_backup_bytes",
            "patrol_backup_files",
            "patrol_job_duration_seconds",
            "patrol_job_bytes_transferred_total");

    private static RunningDemo demo;
    private static Set<String> exposed;

    @BeforeAll
    static void scrapeTheDemoAgent() throws Exception {
        demo = RunningDemo.start();
        demo.awaitOneCycle();
        exposed = MonitoringExposition.seriesNames(Scrape.metrics(demo.agent().port()));
    }

    @AfterAll
    static void stopTheDemo() {
        if (demo != null) {
            demo.close();
        }
    }

    private record Run(int exitCode, String output) {}

    private static Run promtool(String... args) throws IOException, InterruptedException {
        Path promtool = TestPeers.require("promtool");
        Path output = Files.createTempFile("promtool", ".out");
        try {
            List<String> command = new ArrayList<>(List.of(promtool.toString()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("promtool " + String.join(" ", args) + " did not finish within 60 s");
            }
            return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    @Test
    void alertRulesPassPromtoolCheckRules() throws Exception {
        Run run = promtool("check", "rules", RULES.toString());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS");
    }

    @Test
    void alertRuleUnitTestsPass() throws Exception {
        Run run = promtool("test", "rules", RULE_TESTS.toString());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void everyAlertIsTestedFiringAndNotFiring() throws IOException {
        Map<String, String> alerts = MonitoringRules.alertExpressions(Files.readString(RULES));
        Map<String, MonitoringRules.Expectations> tested =
                MonitoringRules.testExpectations(Files.readString(RULE_TESTS));
        assertThat(alerts.keySet())
                .contains(
                        "PatrolAgentDown",
                        "PatrolCheckDown",
                        "PatrolCheckStale",
                        "PatrolConfigReloadFailed",
                        "PatrolSchedulerFallingBehind",
                        "PatrolTLSCertificateExpiringSoon",
                        "PatrolPluginErrors",
                        "PatrolCheckWarning");
        for (String alert : alerts.keySet()) {
            assertThat(tested).as("unit tests of %s", alert).containsKey(alert);
            assertThat(tested.get(alert).firing())
                    .as("tests where %s fires", alert)
                    .isPositive();
            assertThat(tested.get(alert).silent())
                    .as("tests where %s stays silent", alert)
                    .isPositive();
        }
    }

    @Test
    void everyAlertLinksItsRunbookInTheOperationsGuide() throws IOException {
        Map<String, String> runbooks = MonitoringRules.runbookUrls(Files.readString(RULES));
        Set<String> headings = new HashSet<>();
        Files.readAllLines(OPERATIONS).stream()
                .filter(line -> line.startsWith("### "))
                .forEach(line -> headings.add(line.substring(4).strip()));
        assertThat(runbooks).isNotEmpty();
        runbooks.forEach((alert, url) -> {
            assertThat(url).as("runbook_url of %s", alert).isEqualTo(RUNBOOKS + alert.toLowerCase(Locale.ROOT));
            // The anchor GitHub and most Markdown renderers make of the heading "### PatrolCheckDown".
            assertThat(headings).as("runbook headings in %s", OPERATIONS).contains(alert);
        });
    }

    @Test
    void alertRulesQueryOnlyExposedMetrics() throws IOException {
        Map<String, String> alerts = MonitoringRules.alertExpressions(Files.readString(RULES));
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(7);
        Map<String, Set<String>> unknown = new TreeMap<>();
        Set<String> queried = new TreeSet<>();
        alerts.forEach((alert, expr) -> {
            Set<String> names = MonitoringPromQl.metricNames(expr);
            assertThat(names).as("metrics of %s: %s", alert, expr).isNotEmpty();
            queried.addAll(names);
            Set<String> missing = notExposed(names);
            if (!missing.isEmpty()) {
                unknown.put(alert, missing);
            }
        });
        assertThat(unknown).as("alerts querying metrics no agent exposes").isEmpty();
        assertThat(queried)
                .contains(
                        "patrol_check_up",
                        "patrol_scheduler_lateness_seconds_bucket",
                        "patrol_config_last_reload_successful");
    }

    @Test
    void dashboardIsAValidGrafanaDashboard() throws Exception {
        MonitoringDashboard dashboard = MonitoringDashboard.parse(Files.readString(DASHBOARD));
        Map<String, Object> root = dashboard.root();
        assertThat(root).containsEntry("uid", "patrol-overview").containsKey("title");
        assertThat(((Number) root.get("schemaVersion")).intValue()).isBetween(36, 41);

        Map<String, Map<String, Object>> variables = new TreeMap<>();
        dashboard.variables().forEach(variable -> variables.put((String) variable.get("name"), variable));
        assertThat(variables).containsKeys("datasource", "instance", "check");
        assertThat(variables.get("datasource"))
                .containsEntry("type", "datasource")
                .containsEntry("query", "prometheus");

        List<Map<String, Object>> panels = dashboard.panels();
        assertThat(panels).hasSizeGreaterThanOrEqualTo(20);
        Set<Object> ids = new HashSet<>();
        for (Map<String, Object> panel : panels) {
            String title = (String) panel.get("title");
            assertThat(ids.add(panel.get("id")))
                    .as("unique id of panel %s", title)
                    .isTrue();
            assertThat(MonitoringDashboard.object(panel.get("datasource")))
                    .as("data source of panel %s", title)
                    .containsEntry("uid", DATASOURCE);
            Map<String, Object> grid = MonitoringDashboard.object(panel.get("gridPos"));
            int x = ((Number) grid.get("x")).intValue();
            int width = ((Number) grid.get("w")).intValue();
            assertThat(x + width).as("right edge of panel %s", title).isLessThanOrEqualTo(24);
            List<Map<String, Object>> queries = MonitoringDashboard.objects(panel.get("targets"));
            assertThat(queries).as("queries of panel %s", title).isNotEmpty();
            for (Map<String, Object> query : queries) {
                assertThat((String) query.get("expr"))
                        .as("query of panel %s", title)
                        .isNotBlank();
                assertThat(MonitoringDashboard.object(query.get("datasource"))).containsEntry("uid", DATASOURCE);
            }
        }

        Pattern reference = Pattern.compile("\\$\\{?(\\w+)}?");
        for (String expr : dashboard.expressions()) {
            Matcher used = reference.matcher(expr);
            while (used.find()) {
                assertThat(variables.containsKey(used.group(1)) || GRAFANA_BUILT_INS.contains(used.group(1)))
                        .as("variable $%s in %s is defined", used.group(1), expr)
                        .isTrue();
            }
        }
    }

    @Test
    void dashboardQueriesOnlyExposedMetrics() throws Exception {
        MonitoringDashboard dashboard = MonitoringDashboard.parse(Files.readString(DASHBOARD));
        Map<String, Set<String>> unknown = new TreeMap<>();
        Set<String> queried = new TreeSet<>();
        for (String expr : dashboard.expressions()) {
            Set<String> names = MonitoringPromQl.metricNames(expr);
            assertThat(names).as("metrics of %s", expr).isNotEmpty();
            queried.addAll(names);
            Set<String> missing = notExposed(names);
            if (!missing.isEmpty()) {
                unknown.put(expr, missing);
            }
        }
        for (Map<String, Object> variable : dashboard.variables()) {
            if ("query".equals(variable.get("type"))) {
                String query = (String) variable.get("definition");
                Set<String> names = MonitoringPromQl.variableMetricNames(query);
                assertThat(names).as("metrics of variable query %s", query).isNotEmpty();
                Set<String> missing = notExposed(names);
                if (!missing.isEmpty()) {
                    unknown.put(query, missing);
                }
            }
        }
        assertThat(unknown).as("dashboard queries of metrics no agent exposes").isEmpty();
        // The panels the operations guide promises are there.
        assertThat(queried)
                .contains(
                        "patrol_check_up",
                        "patrol_check_failure_reason",
                        "patrol_check_duration_seconds",
                        "patrol_check_timeout_seconds",
                        "patrol_check_runs_total",
                        "patrol_check_skipped_total",
                        "patrol_scheduler_lateness_seconds_bucket",
                        "patrol_ssh_sessions",
                        "patrol_ssh_connects_total",
                        "patrol_http_tls_cert_expiry_timestamp_seconds",
                        "patrol_config_last_reload_successful",
                        "process_cpu_seconds_total",
                        "process_resident_memory_bytes",
                        "jvm_memory_bytes_used",
                        "jvm_threads_current");
    }

    private static Set<String> notExposed(Set<String> names) {
        Set<String> missing = new TreeSet<>(names);
        missing.removeAll(exposed);
        missing.removeAll(NOT_IN_THE_DEMO);
        return missing;
    }
}
