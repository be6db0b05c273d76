package dev.patrol.plugin.sshcommand;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Nagios performance data, the text after {@code |}: space-separated items of the form
 * {@code 'label'=value[UOM];[warn];[crit];[min];[max]} (monitoring-plugins development guidelines, section
 * "Performance data"). A label may be quoted with single quotes, and then hold spaces, {@code =} and {@code ''} for a
 * quote. Trailing semicolons and empty fields are allowed.
 *
 * <pre>{@code
 * PerfdataParser.Parsed parsed = PerfdataParser.parse("load1=0.050;5.000;10.000;0; '/var log'=12MB");
 * parsed.items().get(1).label()   // "/var log"
 * }</pre>
 *
 * <p>A malformed item never fails the whole: it is skipped and described in {@link Parsed#problems()}, and parsing
 * goes on with the next item. Stateless and thread-safe.
 */
final class PerfdataParser {

    /**
     * One perfdata item.
     *
     * @param label the label as written, quotes removed and {@code ''} unescaped
     * @param value the value, or {@code null} for {@code U} (the plugin could not determine it)
     * @param uom the unit of measurement as written, e.g. {@code MB}, {@code %}, {@code c}; empty for none
     * @param warn the warning range as written (e.g. {@code 10:}, {@code @5:8}), or empty
     * @param crit the critical range as written, or empty
     * @param min the minimum, or {@code null}
     * @param max the maximum, or {@code null}
     */
    record Item(String label, Double value, String uom, String warn, String crit, Double min, Double max) {}

    /** The items read and a description of each one skipped. */
    record Parsed(List<Item> items, List<String> problems) {}

    /** A number in the C locale, then a unit: anything but digits, separators and white space. */
    private static final Pattern VALUE =
            Pattern.compile("([-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?)([^\\d.,;=\\s]*)");

    private static final int MAX_QUOTED = 40;

    private PerfdataParser() {}

    static Parsed parse(String perfdata) {
        List<Item> items = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int length = perfdata.length();
        int pos = 0;
        // Every pass consumes at least one character, so the loop ends within length passes.
        while (pos < length) {
            if (Character.isWhitespace(perfdata.charAt(pos))) {
                pos++;
                continue;
            }
            int start = pos;
            String label;
            if (perfdata.charAt(pos) == '\'') {
                StringBuilder quoted = new StringBuilder();
                pos = readQuoted(perfdata, pos + 1, quoted);
                if (pos < 0) {
                    problems.add("unterminated quote in " + quote(perfdata.substring(start)) + ", rest ignored");
                    break;
                }
                label = quoted.toString();
            } else {
                int end = pos;
                while (end < length && perfdata.charAt(end) != '=' && !Character.isWhitespace(perfdata.charAt(end))) {
                    end++;
                }
                label = perfdata.substring(pos, end);
                pos = end;
            }
            int end = tokenEnd(perfdata, pos);
            String item = perfdata.substring(start, end);
            String data = perfdata.substring(pos, end);
            pos = end;
            if (!data.startsWith("=")) {
                problems.add("expected label=value, got " + quote(item));
            } else if (label.isBlank()) {
                problems.add("no label in " + quote(item));
            } else {
                read(label, data.substring(1), item, items, problems);
            }
        }
        return new Parsed(List.copyOf(items), List.copyOf(problems));
    }

    /** Reads {@code value[UOM];warn;crit;min;max}; fields beyond the fifth are ignored. */
    private static void read(String label, String data, String item, List<Item> items, List<String> problems) {
        String[] fields = data.split(";", -1);
        String value = fields[0];
        if (value.equals("U")) {
            items.add(new Item(label, null, "", field(fields, 1), field(fields, 2), null, null));
            return;
        }
        Matcher matcher = VALUE.matcher(value);
        if (!matcher.matches()) {
            problems.add("value of " + quote(label) + " is not a number: " + quote(item));
            return;
        }
        double number = Double.parseDouble(matcher.group(1));
        String uom = matcher.group(2);
        items.add(new Item(
                label, number, uom, field(fields, 1), field(fields, 2), limit(fields, 3, uom), limit(fields, 4, uom)));
    }

    private static String field(String[] fields, int index) {
        return index < fields.length ? fields[index].strip() : "";
    }

    /** A min or max: a number, optionally followed by the value's own unit; {@code null} when absent or not that. */
    private static Double limit(String[] fields, int index, String uom) {
        Matcher matcher = VALUE.matcher(field(fields, index));
        if (!matcher.matches()
                || !(matcher.group(2).isEmpty() || matcher.group(2).equals(uom))) {
            return null;
        }
        return Double.parseDouble(matcher.group(1));
    }

    /**
     * Reads a quoted label from {@code from} (just after the opening quote) into {@code label}; returns the index just
     * after the closing quote, or -1 when there is none.
     */
    private static int readQuoted(String text, int from, StringBuilder label) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                    label.append('\'');
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            label.append(c);
            i++;
        }
        return -1;
    }

    private static int tokenEnd(String text, int from) {
        int end = from;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        return end;
    }

    static String quote(String text) {
        String line = text.strip();
        return "'" + (line.length() > MAX_QUOTED ? line.substring(0, MAX_QUOTED) + "..." : line) + "'";
    }
}
