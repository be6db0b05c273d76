package dev.patrol.plugin.sshcommand;

import dev.patrol.api.Sample;
import java.util.StringJoiner;

/**
 * Turns free text from a command (perfdata labels, units, Prometheus metric names) into sample names that match
 * {@code [a-z_][a-z0-9_]*}: lower-cased, every run of other characters replaced by one {@code _}, no leading or
 * trailing {@code _}, and a {@code _} in front of a leading digit. Stateless and thread-safe.
 *
 * <pre>{@code
 * SampleNames.join("disk", SampleNames.perfdataLabel("/var/log"), "bytes")   // "disk_var_log_bytes"
 * }</pre>
 */
final class SampleNames {

    /** What check_disk's label "/" (the root file system, its most common label) is called. */
    static final String ROOT = "root";

    private SampleNames() {}

    /** Lower-case letters, digits and single underscores, trimmed of underscores; may be empty. */
    static String sanitize(String text) {
        StringBuilder name = new StringBuilder(text.length());
        boolean gap = false;
        for (int i = 0; i < text.length(); i++) {
            char c = Character.toLowerCase(text.charAt(i));
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                if (gap && name.length() > 0) {
                    name.append('_');
                }
                name.append(c);
                gap = false;
            } else {
                gap = true;
            }
        }
        return name.toString();
    }

    /** A perfdata label's name part: sanitized, with {@code /} named {@link #ROOT}; empty when nothing is left. */
    static String perfdataLabel(String label) {
        String name = sanitize(label);
        return name.isEmpty() && label.strip().equals("/") ? ROOT : name;
    }

    /** The non-empty parts joined by {@code _}, made a valid sample name; empty when every part is empty. */
    static String join(String... parts) {
        StringJoiner joined = new StringJoiner("_");
        for (String part : parts) {
            if (!part.isEmpty()) {
                joined.add(part);
            }
        }
        String name = joined.toString();
        if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
            name = "_" + name;
        }
        if (!name.isEmpty() && !Sample.isValidSampleName(name)) {
            throw new IllegalArgumentException("not a sample name: '" + name + "'");
        }
        return name;
    }

    /** {@code patrol_sample_<name>}, the full metric name of a sample. */
    static String metricName(String sampleName) {
        return Sample.SAMPLE_PREFIX + sampleName;
    }
}
