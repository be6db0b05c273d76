package dev.patrol.plugin.http;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidJsonException;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.JsonPathException;
import com.jayway.jsonpath.Option;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.patrol.api.Sample;
import dev.patrol.api.SettingsReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code samples-from { <name> { path, labels {...}, values {...} } }} block (json_exporter's model): one JSON path
 * selects a list of objects, and each object becomes one series per value, {@code patrol_sample_<name>_<value>}, with
 * labels read from the object. Label values come from the response, so a run keeps at most {@code max-series}
 * series (the rest are dropped and counted in {@code patrol_http_series_dropped}), label values have control
 * characters replaced, and an object whose labels are missing, too long or repeat an earlier object's is dropped.
 * Immutable and thread-safe.
 */
final class SamplesFrom {
    static final SamplesFrom NONE = new SamplesFrom(List.of(), 0, 1);
    /** The most pages {@code max-pages} may allow. */
    static final int MAX_PAGES = 100;
    /** The gauge of series one run dropped, per {@code samples-from} block. */
    static final String DROPPED = "patrol_http_series_dropped";

    private static final Configuration JSON = Configuration.defaultConfiguration()
            .addOptions(Option.SUPPRESS_EXCEPTIONS)
            .addOptions(Option.DEFAULT_PATH_LEAF_TO_NULL);
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    /** Labels every check series carries already, or that Patrol sets itself. */
    private static final Set<String> RESERVED = Set.of("check", "target", "reason", "result");

    private record Source(String name, JsonPath path, Map<String, JsonPath> labels, Map<String, JsonPath> values) {}

    private final List<Source> sets;
    private final int maxSeries;
    private final int maxPages;

    private SamplesFrom(List<Source> sets, int maxSeries, int maxPages) {
        this.sets = sets;
        this.maxSeries = maxSeries;
        this.maxPages = maxPages;
    }

    /** Reads {@code samples-from}, {@code max-series} and {@code max-pages}; problems go to {@code reader}. */
    static SamplesFrom from(Config config) {
        SettingsReader reader = new SettingsReader(config);
        Integer maxSeries = reader.integer("max-series", 1, Sample.MAX_PER_RUN);
        Integer maxPages = reader.integer("max-pages", 1, MAX_PAGES);
        if (!(config.root().get("samples-from") instanceof ConfigObject blocks)) {
            reader.throwIfInvalid();
            return NONE;
        }
        Set<String> staticLabels =
                config.hasPath("labels") ? config.getObject("labels").keySet() : Set.of();
        List<Source> sets = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> entry : blocks.entrySet()) {
            String at = "samples-from." + entry.getKey();
            if (!Sample.isValidSampleName(entry.getKey())) {
                reader.problem(at, "expected a name matching [a-z_][a-z0-9_]*, got '" + entry.getKey() + "'");
            } else if (!(entry.getValue() instanceof ConfigObject block)) {
                reader.problem(at, "expected a block { path = \"$.list[*]\", labels {...}, values {...} }");
            } else {
                for (String key : block.keySet()) {
                    if (!List.of("path", "labels", "values").contains(key)) {
                        reader.problem(at + "." + key, "unknown key; expected path, labels or values");
                    }
                }
                JsonPath path = path(reader, block, at + ".path", "path", true);
                Map<String, JsonPath> labels = paths(reader, block, at, "labels", staticLabels);
                Map<String, JsonPath> values = paths(reader, block, at, "values", Set.of());
                if (!block.containsKey("values")) {
                    reader.problem(
                            at,
                            "values is required: expected at least one value such as values { depth = \"messages\" }");
                }
                if (path != null) {
                    sets.add(new Source(entry.getKey(), path, labels, values));
                }
            }
        }
        reader.throwIfInvalid();
        return sets.isEmpty() ? NONE : new SamplesFrom(List.copyOf(sets), maxSeries, maxPages);
    }

    private static Map<String, JsonPath> paths(
            SettingsReader reader, ConfigObject block, String at, String key, Set<String> staticLabels) {
        Map<String, JsonPath> paths = new LinkedHashMap<>();
        ConfigValue value = block.get(key);
        if (value == null) {
            return paths;
        }
        if (!(value instanceof ConfigObject entries)) {
            reader.problem(at + "." + key, "expected a block of name = \"field\" pairs");
            return paths;
        }
        for (String name : entries.keySet()) {
            String where = at + "." + key + "." + name;
            if (key.equals("labels")) {
                if (!LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
                    reader.problem(where, "expected a Prometheus label name, got '" + name + "'");
                    continue;
                }
                if (RESERVED.contains(name) || staticLabels.contains(name)) {
                    reader.problem(
                            where,
                            "expected a label other than check, target, reason, result and the check's own labels,"
                                    + " which every series carries already; got '" + name + "'");
                    continue;
                }
            } else if (!Sample.isValidSampleName(name)) {
                reader.problem(where, "expected a value name matching [a-z_][a-z0-9_]*, got '" + name + "'");
                continue;
            }
            JsonPath path = path(reader, entries, where, name, false);
            if (path != null) {
                paths.put(name, path);
            }
        }
        return paths;
    }

    /** A JSON path; a field path relative to each object ({@code "name"}, {@code "stats.depth"}) gets a {@code $.}. */
    private static JsonPath path(SettingsReader reader, ConfigObject block, String where, String key, boolean root) {
        ConfigValue value = block.get(key);
        if (value == null || value.valueType() != ConfigValueType.STRING) {
            reader.problem(
                    where,
                    root
                            ? "is required: expected a JSON path such as \"$.queues[*]\""
                            : "expected a" + " field of each object such as \"name\" or \"stats.depth\"");
            return null;
        }
        String text = (String) value.unwrapped();
        try {
            return JsonPath.compile(text.startsWith("$") ? text : "$." + text);
        } catch (InvalidPathException | IllegalArgumentException e) {
            reader.problem(where, "expected a JSON path such as \"$.queues[*]\": " + e.getMessage());
            return null;
        }
    }

    boolean isEmpty() {
        return sets.isEmpty();
    }

    /** How many pages of a paginated answer ({@code Link: <...>; rel="next"}) one run reads, the first included. */
    int maxPages() {
        return maxPages;
    }

    /**
     * @param samples the series read, at most {@code max-series}, plus one {@code patrol_http_series_dropped} per set
     * @param note a summary note when series were dropped or a path did not select a list, else null
     */
    record Extraction(List<Sample> samples, String note) {}

    Extraction extract(String body) {
        return extract(List.of(body));
    }

    /** The series of every page of one run's answer together: {@code max-series} and the dropped counts span them. */
    Extraction extract(List<String> pages) {
        List<Object> documents = new ArrayList<>(pages.size());
        for (String page : pages) {
            Object document;
            try {
                document = JSON.jsonProvider().parse(page);
            } catch (InvalidJsonException e) {
                document = null;
            }
            // The parser is lenient and takes plain text for a JSON string; a list of objects needs an object or array.
            if (!(document instanceof Map<?, ?> || document instanceof List<?>)) {
                String which = pages.size() == 1 ? "" : " (page " + (documents.size() + 1) + ")";
                return new Extraction(List.of(), "samples-from: body is not JSON" + which);
            }
            documents.add(document);
        }
        List<Sample> samples = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int kept = 0;
        for (Source set : sets) {
            List<Object> objects = new ArrayList<>();
            for (Object document : documents) {
                Object selected = read(set.path(), document);
                objects.addAll(
                        selected instanceof List<?> list ? list : selected == null ? List.of() : List.of(selected));
            }
            int dropped = 0;
            Set<Map<String, String>> seen = new HashSet<>();
            for (Object object : objects) {
                Map<String, String> labels = labels(set, object);
                if (labels == null || !seen.add(labels)) {
                    dropped += set.values().size();
                    continue;
                }
                for (Map.Entry<String, JsonPath> value : set.values().entrySet()) {
                    Object number = read(value.getValue(), object);
                    double gauge = number instanceof Number n
                            ? n.doubleValue()
                            : number instanceof Boolean b ? b ? 1 : 0 : Double.NaN;
                    if (Double.isNaN(gauge) || kept >= maxSeries) {
                        dropped++;
                        continue;
                    }
                    samples.add(Sample.gauge(set.name() + "_" + value.getKey(), labels, gauge));
                    kept++;
                }
            }
            samples.add(Sample.metric(DROPPED, Sample.Kind.GAUGE, Map.of("samples_from", set.name()), dropped));
            if (dropped > 0) {
                notes.add(set.name() + ": " + dropped + " series dropped (max-series " + maxSeries
                        + ", or labels missing, repeated or longer than " + Sample.MAX_LABEL_VALUE_CHARS
                        + " characters, or values not numbers)");
            }
        }
        return new Extraction(samples, notes.isEmpty() ? null : "samples-from " + String.join("; ", notes));
    }

    /** The object's labels, or null when one is missing, not a scalar or too long to expose. */
    private static Map<String, String> labels(Source set, Object object) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, JsonPath> label : set.labels().entrySet()) {
            Object value = read(label.getValue(), object);
            if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                return null;
            }
            String text = CONTROL.matcher(String.valueOf(value)).replaceAll("_");
            if (text.isEmpty() || text.length() > Sample.MAX_LABEL_VALUE_CHARS) {
                return null;
            }
            labels.put(label.getKey(), text);
        }
        return labels;
    }

    private static Object read(JsonPath path, Object json) {
        try {
            return path.read(json, JSON);
        } catch (JsonPathException | ClassCastException e) {
            return null;
        }
    }
}
