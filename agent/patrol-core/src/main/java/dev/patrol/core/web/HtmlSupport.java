package dev.patrol.core.web;

import java.time.Duration;
import java.util.Locale;

/** Escaping and formatting for the status page. Stateless and thread-safe. */
final class HtmlSupport {

    private HtmlSupport() {}

    /**
     * Escapes text for an HTML element body or a quoted attribute value. Every string that did not come from this
     * class (check names, target names, summaries and output from remote systems, configuration) goes through here.
     */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** {@code 850 µs}, {@code 12.3 ms}, {@code 4.20 s}, {@code 30 s}. */
    static String duration(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%d µs", nanos / 1_000);
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        if (nanos % 1_000_000_000 == 0) {
            return nanos / 1_000_000_000 + " s";
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    /** A coarse age for people: {@code 12s}, {@code 5m}, {@code 3h}, {@code 2d}. */
    static String age(Duration age) {
        long seconds = Math.max(0, age.toSeconds());
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 2 * 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 2 * 86400) {
            return seconds / 3600 + "h";
        }
        return seconds / 86400 + "d";
    }
}
