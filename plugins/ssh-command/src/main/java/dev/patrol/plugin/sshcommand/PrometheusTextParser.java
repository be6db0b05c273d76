package dev.patrol.plugin.sshcommand;

import dev.patrol.api.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the Prometheus text exposition format (version 0.0.4, and the OpenMetrics lines that matter here):
 * {@code # HELP} and {@code # TYPE} lines, and samples {@code name{label="value",...} value [timestamp]} with the escapes
 * {@code \\}, {@code \"} and {@code \n} in label values.
 *
 * <pre>{@code
 * PrometheusTextParser.Parsed parsed = PrometheusTextParser.parse("""
 *         # TYPE backups_total counter
 *         backups_total{kind="full"} 12
 *         """);
 * }</pre>
 *
 * <p>Series of histograms and summaries ({@code _bucket}, {@code _sum}, {@code _count}, quantiles) are skipped and
 * counted: re-exposed as gauges they would break {@code promtool check metrics}, and Patrol's samples are gauges and
 * counters only. Timestamps are read and ignored: a sample is exposed as of the run. An invalid line is skipped and
 * described in {@link Parsed#problems()}. Stateless and thread-safe.
 */
final class PrometheusTextParser {

    /**
     * One series.
     *
     * @param name the metric name as written
     * @param kind counter when its family's TYPE is counter, else gauge
     * @param labels its labels in the order written
     */
    record Series(String name, Sample.Kind kind, Map<String, String> labels, double value) {}

    /**
     * What the text held.
     *
     * @param series the valid series, in order
     * @param problems one description per invalid line, with its line number
     * @param skipped how many histogram, summary and {@code _created} series were left out
     */
    record Parsed(List<Series> series, List<String> problems, int skipped) {}

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?");
    private static final Pattern TIMESTAMP = Pattern.compile("-?\\d+");
    private static final Set<String> TYPES = Set.of(
            "counter", "gauge", "histogram", "summary", "untyped", "unknown", "info", "stateset", "gaugehistogram");
    private static final Set<String> SKIPPED_TYPES = Set.of("histogram", "summary", "gaugehistogram");
    private static final List<String> SUFFIXES =
            List.of("_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info");

    private PrometheusTextParser() {}

    static Parsed parse(String text) {
        List<Series> series = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        int skipped = 0;
        List<String> lines = NagiosOutput.lines(text);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                if (line.startsWith("#")) {
                    readComment(line, types);
                    continue;
                }
                Series one = new SampleLine(line).read();
                String type = familyType(one.name(), types);
                if (SKIPPED_TYPES.contains(type)
                        || ("counter".equals(type) && one.name().endsWith("_created"))) {
                    skipped++;
                } else {
                    Sample.Kind kind = "counter".equals(type) ? Sample.Kind.COUNTER : Sample.Kind.GAUGE;
                    series.add(new Series(one.name(), kind, one.labels(), one.value()));
                }
            } catch (IllegalArgumentException e) {
                problems.add("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new Parsed(List.copyOf(series), List.copyOf(problems), skipped);
    }

    /** Records a {@code # TYPE}; {@code # HELP} and other comments (such as OpenMetrics' {@code # EOF}) are ignored. */
    private static void readComment(String line, Map<String, String> types) {
        String[] words = line.substring(1).strip().split("\\s+", 3);
        if (words.length < 1 || !words[0].equals("TYPE")) {
            return;
        }
        if (words.length < 3 || !METRIC_NAME.matcher(words[1]).matches()) {
            throw new IllegalArgumentException("expected '# TYPE <metric name> <type>'");
        }
        String type = words[2].strip().toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("unknown metric type " + PerfdataParser.quote(words[2]));
        }
        if (types.putIfAbsent(words[1], type) != null) {
            throw new IllegalArgumentException("second TYPE line for " + words[1]);
        }
    }

    /** The TYPE of the family {@code name} belongs to: its own, or that of its name without a series suffix. */
    private static String familyType(String name, Map<String, String> types) {
        String own = types.get(name);
        if (own != null) {
            return own;
        }
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix)) {
                String family = types.get(name.substring(0, name.length() - suffix.length()));
                if (family != null) {
                    return family;
                }
            }
        }
        return "untyped";
    }

    /** A cursor over one sample line; throws {@link IllegalArgumentException} describing the first error. */
    private static final class SampleLine {
        private final String line;
        private int pos;

        SampleLine(String line) {
            this.line = line;
        }

        Series read() {
            String name = nameToken();
            if (!METRIC_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid metric name " + PerfdataParser.quote(name));
            }
            Map<String, String> labels = new LinkedHashMap<>();
            skipBlanks();
            if (pos < line.length() && line.charAt(pos) == '{') {
                pos++;
                readLabels(labels);
            }
            String[] rest = line.substring(pos).strip().split("\\s+");
            if (rest.length == 0 || rest[0].isEmpty() || rest.length > 2) {
                throw new IllegalArgumentException("expected a value and an optional timestamp after " + name);
            }
            if (rest.length == 2 && !TIMESTAMP.matcher(rest[1]).matches()) {
                throw new IllegalArgumentException("invalid timestamp " + PerfdataParser.quote(rest[1]));
            }
            return new Series(name, Sample.Kind.GAUGE, labels, value(rest[0]));
        }

        private String nameToken() {
            int start = pos;
            while (pos < line.length() && line.charAt(pos) != '{' && !Character.isWhitespace(line.charAt(pos))) {
                pos++;
            }
            return line.substring(start, pos);
        }

        private void readLabels(Map<String, String> labels) {
            // Each pass reads one label or the closing brace, so the loop is bounded by the line's length.
            while (true) {
                skipBlanks();
                if (pos < line.length() && line.charAt(pos) == '}') {
                    pos++;
                    return;
                }
                int start = pos;
                while (pos < line.length() && line.charAt(pos) != '=' && !Character.isWhitespace(line.charAt(pos))) {
                    pos++;
                }
                String label = line.substring(start, pos);
                if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                    throw new IllegalArgumentException("invalid label name " + PerfdataParser.quote(label));
                }
                skipBlanks();
                expect('=');
                skipBlanks();
                expect('"');
                if (labels.put(label, labelValue()) != null) {
                    throw new IllegalArgumentException("label " + label + " given twice");
                }
                skipBlanks();
                if (pos < line.length() && line.charAt(pos) == ',') {
                    pos++;
                } else if (pos >= line.length() || line.charAt(pos) != '}') {
                    throw new IllegalArgumentException("expected ',' or '}' after label " + label);
                }
            }
        }

        private String labelValue() {
            StringBuilder value = new StringBuilder();
            while (pos < line.length()) {
                char c = line.charAt(pos++);
                if (c == '"') {
                    return value.toString();
                }
                if (c != '\\') {
                    value.append(c);
                    continue;
                }
                char escaped = pos < line.length() ? line.charAt(pos++) : ' ';
                switch (escaped) {
                    case '\\' -> value.append('\\');
                    case '"' -> value.append('"');
                    case 'n' -> value.append('\n');
                    default -> throw new IllegalArgumentException("invalid escape in a label value");
                }
            }
            throw new IllegalArgumentException("unterminated label value");
        }

        private void expect(char wanted) {
            if (pos >= line.length() || line.charAt(pos) != wanted) {
                throw new IllegalArgumentException("expected '" + wanted + "' at column " + (pos + 1));
            }
            pos++;
        }

        private void skipBlanks() {
            while (pos < line.length() && (line.charAt(pos) == ' ' || line.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private static double value(String text) {
            String lower = text.toLowerCase(Locale.ROOT);
            switch (lower) {
                case "nan":
                    return Double.NaN;
                case "inf", "+inf":
                    return Double.POSITIVE_INFINITY;
                case "-inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    if (!NUMBER.matcher(text).matches()) {
                        throw new IllegalArgumentException("invalid sample value " + PerfdataParser.quote(text));
                    }
                    return Double.parseDouble(text);
            }
        }
    }
}
