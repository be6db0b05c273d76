package dev.patrol.api;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One value a check extracted, exposed as a Prometheus series with the check's and target's labels added.
 *
 * <pre>{@code
 * Sample.gauge("queue_depth", 12)                     // patrol_sample_queue_depth{check,target} 12
 * Sample.metric("patrol_http_tls_cert_expiry_timestamp_seconds", Kind.GAUGE, Map.of(), 1.7e9)
 * }</pre>
 *
 * @param name the full metric name, matching {@code [a-zA-Z_:][a-zA-Z0-9_:]*}
 * @param kind gauge or counter; counter names end in {@code _total}
 * @param labels extra labels; keep them to a small fixed set (never a URL, message or other unbounded value)
 * @param value the value in base units (seconds, bytes, ratios 0-1)
 */
public record Sample(String name, Kind kind, Map<String, String> labels, double value) {

    /** The prefix of samples named by users ({@code samples { x = ... }}). */
    public static final String SAMPLE_PREFIX = "patrol_sample_";

    /*
     * Bounds the agent enforces on what one run exposes, so that no target can flood /metrics. A sample over a bound is
     * left out (never cut short: a cut label value would be a different series) and counted in
     * patrol_samples_dropped_total{reason}. Plugins may use them to validate their own settings.
     */

    /** The most samples of one run that are exposed; the rest are dropped with reason {@code over_limit}. */
    public static final int MAX_PER_RUN = 1000;

    /** The longest metric name exposed, in characters; a longer one is dropped with reason {@code invalid_name}. */
    public static final int MAX_NAME_CHARS = 200;

    /** The most labels of a sample's own; more are dropped with reason {@code too_many_labels}. */
    public static final int MAX_LABELS = 16;

    /** The longest label name, in characters; a longer one is dropped with reason {@code label_too_long}. */
    public static final int MAX_LABEL_NAME_CHARS = 100;

    /** The longest label value, in characters; a longer one is dropped with reason {@code label_too_long}. */
    public static final int MAX_LABEL_VALUE_CHARS = 256;

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    public enum Kind {
        GAUGE,
        COUNTER
    }

    public Sample {
        Objects.requireNonNull(kind, "kind");
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid metric name '" + name + "'");
        }
        for (String label : labels.keySet()) {
            if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                throw new IllegalArgumentException("invalid label name '" + label + "'");
            }
        }
        labels = Map.copyOf(labels);
    }

    /** A user-named sample, exposed as {@code patrol_sample_<name>}. */
    public static Sample gauge(String sampleName, double value) {
        return new Sample(SAMPLE_PREFIX + checkSampleName(sampleName), Kind.GAUGE, Map.of(), value);
    }

    /** A user-named sample with extra labels, exposed as {@code patrol_sample_<name>}. */
    public static Sample gauge(String sampleName, Map<String, String> labels, double value) {
        return new Sample(SAMPLE_PREFIX + checkSampleName(sampleName), Kind.GAUGE, labels, value);
    }

    /** A sample under a full metric name of the plugin's choosing. */
    public static Sample metric(String metricName, Kind kind, Map<String, String> labels, double value) {
        return new Sample(metricName, kind, labels, value);
    }

    /** Whether {@code name} is a valid user sample name: {@code [a-z_][a-z0-9_]*}. */
    public static boolean isValidSampleName(String name) {
        return SAMPLE_NAME.matcher(name).matches();
    }

    private static String checkSampleName(String name) {
        if (!isValidSampleName(name)) {
            throw new IllegalArgumentException("invalid sample name '" + name + "', expected [a-z_][a-z0-9_]*");
        }
        return name;
    }
}
