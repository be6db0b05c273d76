package dev.patrol.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the alert names and expressions out of a Prometheus rule file, and which alerts a {@code promtool test rules}
 * file expects to fire and not to fire. The files are YAML, but only in the plain shape Patrol ships (a key per line,
 * block scalars for long expressions), so a few line rules do instead of a YAML library; {@code promtool check rules}
 * validates the real syntax in the same test.
 *
 * <p>Stateless and thread-safe.
 */
final class MonitoringRules {
    private static final Pattern ALERT = Pattern.compile("^\\s*-\\s*alert:\\s*(\\S+)\\s*$");
    private static final Pattern EXPR = Pattern.compile("^(\\s*)expr:\\s*(.*?)\\s*$");
    private static final Pattern TEST_ALERTNAME = Pattern.compile("^\\s*alertname:\\s*(\\S+)\\s*$");
    private static final Pattern RUNBOOK = Pattern.compile("^\\s*runbook_url:\\s*(.*?)\\s*$");
    private static final Pattern NEXT_EVAL = Pattern.compile("^\\s*-\\s*(eval_time|name):.*$");

    private MonitoringRules() {}

    /** Each alert of the rule file with its expression, in file order. */
    static Map<String, String> alertExpressions(String rules) {
        Map<String, String> alerts = new LinkedHashMap<>();
        String[] lines = rules.split("\n", -1);
        String alert = null;
        for (int i = 0; i < lines.length; i++) {
            Matcher name = ALERT.matcher(lines[i]);
            if (name.matches()) {
                alert = name.group(1);
                continue;
            }
            Matcher expr = EXPR.matcher(lines[i]);
            if (expr.matches() && alert != null) {
                alerts.put(alert, expression(lines, i, expr.group(1).length(), expr.group(2)));
                alert = null;
            }
        }
        return alerts;
    }

    /** Each alert of the rule file with its {@code runbook_url} annotation, or an empty string when it has none. */
    static Map<String, String> runbookUrls(String rules) {
        Map<String, String> urls = new LinkedHashMap<>();
        String alert = null;
        for (String line : rules.split("\n", -1)) {
            Matcher name = ALERT.matcher(line);
            if (name.matches()) {
                alert = name.group(1);
                urls.put(alert, "");
                continue;
            }
            Matcher runbook = RUNBOOK.matcher(line);
            if (runbook.matches() && alert != null) {
                urls.put(alert, unquote(runbook.group(1)));
            }
        }
        return urls;
    }

    /** An inline value, or the block scalar ({@code >-}, {@code |}) indented under the key. */
    private static String expression(String[] lines, int keyLine, int keyIndent, String inline) {
        if (!inline.matches("[>|][+-]?")) {
            return unquote(inline);
        }
        List<String> block = new ArrayList<>();
        for (int i = keyLine + 1; i < lines.length; i++) {
            String line = lines[i];
            if (!line.isBlank() && indent(line) <= keyIndent) {
                break;
            }
            block.add(line.strip());
        }
        return String.join("\n", block).strip();
    }

    private static String unquote(String value) {
        boolean quoted = value.length() >= 2
                && ((value.startsWith("'") && value.endsWith("'")) || (value.startsWith("\"") && value.endsWith("\"")));
        return quoted ? value.substring(1, value.length() - 1) : value;
    }

    private static int indent(String line) {
        int indent = 0;
        while (indent < line.length() && line.charAt(indent) == ' ') {
            indent++;
        }
        return indent;
    }

    /** What the test file expects of one alert at its evaluation times. */
    record Expectations(int firing, int silent) {}

    /**
     * For each alert a unit test file evaluates: how many evaluations expect it to fire (an {@code exp_alerts} entry
     * with labels) and how many expect it silent ({@code exp_alerts: []}).
     */
    static Map<String, Expectations> testExpectations(String tests) {
        Map<String, Expectations> expectations = new LinkedHashMap<>();
        String[] lines = tests.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher name = TEST_ALERTNAME.matcher(lines[i]);
            if (!name.matches()) {
                continue;
            }
            StringBuilder evaluation = new StringBuilder();
            for (int j = i + 1; j < lines.length && !NEXT_EVAL.matcher(lines[j]).matches(); j++) {
                evaluation.append(lines[j]).append('\n');
            }
            boolean silent = evaluation.toString().contains("exp_alerts: []");
            boolean firing = evaluation.toString().contains("exp_labels:");
            expectations.merge(
                    name.group(1),
                    new Expectations(firing ? 1 : 0, silent ? 1 : 0),
                    (a, b) -> new Expectations(a.firing() + b.firing(), a.silent() + b.silent()));
        }
        return expectations;
    }
}
