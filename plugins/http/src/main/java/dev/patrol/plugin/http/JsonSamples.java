package dev.patrol.plugin.http;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.InvalidJsonException;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.JsonPathException;
import com.jayway.jsonpath.PathNotFoundException;
import dev.patrol.api.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code samples { name = "$.json.path" }} block: JSON paths read from the response body into gauges named
 * {@code patrol_sample_<name>}. Numbers are taken as they are, booleans as 1 and 0; anything else, or a path that is
 * not there, is a parse problem. Immutable and thread-safe.
 */
final class JsonSamples {
    static final JsonSamples NONE = new JsonSamples(Map.of());

    private static final Configuration JSON = Configuration.defaultConfiguration();

    private final Map<String, JsonPath> paths;

    private JsonSamples(Map<String, JsonPath> paths) {
        this.paths = paths;
    }

    /**
     * Compiles each path, adding {@code key -> problem} to {@code problems} for a bad sample name or path; returns
     * the samples that are valid.
     */
    static JsonSamples parse(Map<String, String> entries, Map<String, String> problems) {
        Map<String, JsonPath> paths = new LinkedHashMap<>();
        entries.forEach((name, path) -> {
            if (!Sample.isValidSampleName(name)) {
                problems.put(name, "expected a sample name matching [a-z_][a-z0-9_]*, got '" + name + "'");
                return;
            }
            try {
                paths.put(name, JsonPath.compile(path));
            } catch (InvalidPathException | IllegalArgumentException e) {
                problems.put(name, "expected a JSON path such as $.queue.depth: " + e.getMessage());
            }
        });
        return paths.isEmpty() ? NONE : new JsonSamples(Collections.unmodifiableMap(paths));
    }

    boolean isEmpty() {
        return paths.isEmpty();
    }

    /**
     * The extracted gauges and, when some could not be read, a one-line description of the first problem.
     *
     * @param samples the values that were read
     * @param problem {@code null} when every path was read
     */
    record Extraction(List<Sample> samples, String problem) {}

    Extraction extract(String body) {
        DocumentContext document;
        try {
            document = JsonPath.using(JSON).parse(body);
        } catch (InvalidJsonException e) {
            return new Extraction(List.of(), "body is not JSON");
        }
        // The default parser is lenient and takes plain text for a JSON string; a sample needs an object or array.
        Object root = document.json();
        if (!(root instanceof Map) && !(root instanceof List)) {
            return new Extraction(List.of(), "body is not JSON");
        }
        List<Sample> samples = new ArrayList<>(paths.size());
        String problem = null;
        for (Map.Entry<String, JsonPath> entry : paths.entrySet()) {
            String name = entry.getKey();
            Object value;
            try {
                value = document.read(entry.getValue());
            } catch (PathNotFoundException e) {
                problem = problem != null
                        ? problem
                        : "sample " + name + ": " + entry.getValue().getPath() + " not found";
                continue;
            } catch (JsonPathException e) {
                problem = problem != null ? problem : "sample " + name + ": " + e.getMessage();
                continue;
            }
            if (value instanceof Number number) {
                samples.add(Sample.gauge(name, number.doubleValue()));
            } else if (value instanceof Boolean bool) {
                samples.add(Sample.gauge(name, bool ? 1 : 0));
            } else if (problem == null) {
                problem = "sample " + name + ": expected a number or boolean at "
                        + entry.getValue().getPath() + ", got " + describe(value);
            }
        }
        return new Extraction(samples, problem);
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "a string";
        }
        return value instanceof List
                ? "a list"
                : value instanceof Map ? "an object" : value.getClass().getSimpleName();
    }
}
