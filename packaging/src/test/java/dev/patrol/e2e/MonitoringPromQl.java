package dev.patrol.e2e;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the metric names a PromQL expression reads, so the shipped dashboard and alert rules can be checked against
 * what an agent really exposes. This is not a PromQL parser: it removes everything that is not a metric name (strings,
 * Grafana variables, label matchers, ranges, grouping label lists), then takes every remaining identifier that is
 * neither a function call nor a keyword. That is enough for the expressions Patrol ships, and errs towards reporting a
 * name too many, which makes the test fail loudly rather than pass wrongly.
 *
 * <pre>{@code
 * MonitoringPromQl.metricNames("sum by (check) (rate(patrol_check_runs_total{result=\"ok\"}[5m]))")
 *     // [patrol_check_runs_total]
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
final class MonitoringPromQl {
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    /** Grafana's {@code $var}, {@code ${var}} and {@code [[var]]} forms. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+|\\[\\[\\w+]]");

    private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\[\\]]*]");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
    /** An identifier not preceded by a word character or a dot, so the {@code e3} of {@code 1e3} is not one. */
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*");

    /** Aggregation operators can be followed by {@code by (...)} rather than their argument list. */
    private static final Set<String> KEYWORDS = Set.of(
            "and",
            "or",
            "unless",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "offset",
            "bool",
            "inf",
            "nan",
            "atan2",
            "sum",
            "min",
            "max",
            "avg",
            "group",
            "stddev",
            "stdvar",
            "count",
            "count_values",
            "bottomk",
            "topk",
            "quantile");

    private MonitoringPromQl() {}

    /** The metric names {@code expression} selects, sorted. */
    static Set<String> metricNames(String expression) {
        String text = STRING.matcher(expression).replaceAll("\"\"");
        text = VARIABLE.matcher(text).replaceAll("1");
        text = MATCHERS.matcher(text).replaceAll("{}");
        text = RANGE.matcher(text).replaceAll("[]");
        text = GROUPING.matcher(text).replaceAll("$1");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(text);
        while (identifier.find()) {
            String name = identifier.group();
            if (!KEYWORDS.contains(name.toLowerCase()) && !isCall(text, identifier.end())) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * The metric names of a Grafana variable query: {@code label_values(metric{...}, label)} reads {@code metric},
     * and {@code label} is a label, not a metric; other forms ({@code query_result(...)}) are PromQL.
     */
    static Set<String> variableMetricNames(String query) {
        Matcher labelValues =
                Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$").matcher(query);
        if (labelValues.matches()) {
            return metricNames(labelValues.group(1));
        }
        Matcher queryResult =
                Pattern.compile("^\\s*query_result\\((.*)\\)\\s*$").matcher(query);
        return metricNames(queryResult.matches() ? queryResult.group(1) : query);
    }

    private static boolean isCall(String text, int end) {
        int next = end;
        while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
            next++;
        }
        return next < text.length() && text.charAt(next) == '(';
    }
}
