package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The metric-name extraction MonitoringAssetsIT relies on: names found, labels and functions never taken for them. */
class MonitoringPromQlTest {

    @Test
    void findsTheMetricInsideFunctionsAndAggregations() {
        assertThat(MonitoringPromQl.metricNames(
                        "sum by (check, reason) (rate(patrol_check_skipped_total{instance=~\"$instance\"}"
                                + "[$__rate_interval])) > 0"))
                .containsExactly("patrol_check_skipped_total");
    }

    @Test
    void ignoresGroupingLabelsOfHistogramsAndJoins() {
        assertThat(
                        MonitoringPromQl.metricNames(
                                "histogram_quantile(0.99, sum by (instance, le) (rate(patrol_scheduler_lateness_seconds_bucket[5m])))"))
                .containsExactly("patrol_scheduler_lateness_seconds_bucket");
        assertThat(MonitoringPromQl.metricNames("patrol_check_status * on(instance, check, target) group_left(reason)"
                        + " max by (instance, check, target, reason) (patrol_check_failure_reason)"))
                .containsExactly("patrol_check_failure_reason", "patrol_check_status");
    }

    @Test
    void readsEveryOperandOfBinaryAndSetOperators() {
        assertThat(MonitoringPromQl.metricNames(
                        "(time() - patrol_check_last_run_timestamp_seconds > clamp_min(3 * patrol_check_timeout_seconds,"
                                + " 600))\nor on(job, instance, check, target) (up == 0 unless patrol_typo offset 5m)"))
                .containsExactly(
                        "patrol_check_last_run_timestamp_seconds", "patrol_check_timeout_seconds", "patrol_typo", "up");
    }

    @Test
    void numbersWithExponentsAndStringsAreNotMetrics() {
        assertThat(MonitoringPromQl.metricNames("label_replace(patrol_check_up, \"host\", \"$1\", \"target\","
                        + " \"(.*):.*\") * 1e3 - 14 * 86400"))
                .containsExactly("patrol_check_up");
    }

    @Test
    void variableQueriesNameTheirMetricNotTheLabel() {
        assertThat(MonitoringPromQl.variableMetricNames(
                        "label_values(patrol_check_up{instance=~\"$instance\"}, check)"))
                .containsExactly("patrol_check_up");
    }

    @Test
    void exposedNamesIncludeWhatEachTypeImplies() {
        String exposition = "# HELP patrol_plugin_errors_total Errors.\n"
                + "# TYPE patrol_plugin_errors_total counter\n"
                + "# HELP patrol_scheduler_lateness_seconds Lateness.\n"
                + "# TYPE patrol_scheduler_lateness_seconds histogram\n"
                + "patrol_scheduler_lateness_seconds_bucket{le=\"+Inf\",} 1.0\n"
                + "# TYPE patrol_check_up gauge\n"
                + "patrol_check_up{check=\"a\",target=\"b\",} 1.0\n";
        assertThat(MonitoringExposition.seriesNames(exposition))
                .containsExactlyInAnyOrder(
                        "patrol_plugin_errors_total",
                        "patrol_scheduler_lateness_seconds_bucket",
                        "patrol_scheduler_lateness_seconds_sum",
                        "patrol_scheduler_lateness_seconds_count",
                        "patrol_check_up");
    }

    @Test
    void ruleExpressionsAndTestExpectationsAreRead() {
        String rules = "groups:\n  - name: g\n    rules:\n      - alert: Inline\n        expr: patrol_check_up == 0\n"
                + "        for: 5m\n      - alert: Block\n        expr: >-\n          sum(rate(a_total[5m]))\n"
                + "          > 1\n        labels:\n          severity: warning\n";
        assertThat(MonitoringRules.alertExpressions(rules))
                .containsEntry("Inline", "patrol_check_up == 0")
                .containsEntry("Block", "sum(rate(a_total[5m]))\n> 1");
        String tests = "tests:\n  - name: t\n    alert_rule_test:\n      - eval_time: 1m\n        alertname: Inline\n"
                + "        exp_alerts: []\n      - eval_time: 9m\n        alertname: Inline\n        exp_alerts:\n"
                + "          - exp_labels:\n              severity: critical\n";
        assertThat(MonitoringRules.testExpectations(tests))
                .containsEntry("Inline", new MonitoringRules.Expectations(1, 1))
                .doesNotContainKey("Block");
    }
}
