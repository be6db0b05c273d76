package dev.patrol.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.minidev.json.parser.JSONParser;
import net.minidev.json.parser.ParseException;

/**
 * The shipped Grafana dashboard as parsed JSON, with the parts the tests look at: panels, template variables and every
 * PromQL expression. Parsed with json-smart in its strict RFC 4627 mode (json-smart is on the classpath through the
 * HTTP plugin's json-path), so a trailing comma or a comment is an error, as it is for Grafana's importer.
 *
 * <p>Immutable after construction; thread-safe.
 */
final class MonitoringDashboard {
    private final Map<String, Object> root;

    private MonitoringDashboard(Map<String, Object> root) {
        this.root = root;
    }

    /** @throws ParseException if {@code json} is not strictly valid JSON */
    @SuppressWarnings("unchecked")
    static MonitoringDashboard parse(String json) throws ParseException {
        Object parsed = new JSONParser(JSONParser.MODE_RFC4627).parse(json);
        if (!(parsed instanceof Map)) {
            throw new ParseException(0, ParseException.ERROR_UNEXPECTED_TOKEN, "a dashboard is a JSON object");
        }
        return new MonitoringDashboard((Map<String, Object>) parsed);
    }

    Map<String, Object> root() {
        return root;
    }

    /** Every panel that is not a row, rows' nested panels included. */
    List<Map<String, Object>> panels() {
        List<Map<String, Object>> panels = new ArrayList<>();
        for (Map<String, Object> panel : objects(root.get("panels"))) {
            if ("row".equals(panel.get("type"))) {
                panels.addAll(objects(panel.get("panels")));
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    /** The template variables, in order. */
    List<Map<String, Object>> variables() {
        return objects(object(root.get("templating")).get("list"));
    }

    /** Every {@code expr} string anywhere in the dashboard: panel targets and annotation queries. */
    List<String> expressions() {
        List<String> expressions = new ArrayList<>();
        walk(root, node -> {
            if (node.get("expr") instanceof String expr) {
                expressions.add(expr);
            }
        });
        return expressions;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(Object value) {
        if (!(value instanceof List<?> list)) {
            return List.of();
        }
        return list.stream()
                .filter(Map.class::isInstance)
                .map(item -> (Map<String, Object>) item)
                .toList();
    }

    private static void walk(Object node, Consumer<Map<String, Object>> visitor) {
        if (node instanceof Map<?, ?> map) {
            visitor.accept(object(map));
            map.values().forEach(value -> walk(value, visitor));
        } else if (node instanceof List<?> list) {
            list.forEach(value -> walk(value, visitor));
        }
    }
}
