package dev.patrol.plugin.http;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP status codes a check accepts, from {@code expect.status}: codes such as {@code 200} and classes such as
 * {@code "2xx"}. Immutable and thread-safe.
 */
final class StatusExpectation {
    private static final Pattern CODE = Pattern.compile("[1-5][0-9][0-9]");
    private static final Pattern CLASS = Pattern.compile("([1-5])xx", Pattern.CASE_INSENSITIVE);

    private final BitSet accepted;
    private final String description;

    private StatusExpectation(BitSet accepted, String description) {
        this.accepted = accepted;
        this.description = description;
    }

    /**
     * Parses codes and classes, adding a phrase per bad entry to {@code problems}; returns {@code null} when any
     * entry is invalid or the list is empty.
     */
    static StatusExpectation parse(List<String> entries, List<String> problems) {
        if (entries.isEmpty()) {
            problems.add("expected at least one status code or class such as 200 or \"2xx\"");
            return null;
        }
        BitSet accepted = new BitSet(600);
        boolean valid = true;
        for (String raw : entries) {
            String entry = raw.trim();
            Matcher classMatch = CLASS.matcher(entry);
            if (CODE.matcher(entry).matches()) {
                accepted.set(Integer.parseInt(entry));
            } else if (classMatch.matches()) {
                int first = Integer.parseInt(classMatch.group(1)) * 100;
                accepted.set(first, first + 100);
            } else {
                problems.add("expected status codes 100 to 599 or classes 1xx to 5xx, got '" + raw + "'");
                valid = false;
            }
        }
        return valid
                ? new StatusExpectation(accepted, String.join(", ", entries).toLowerCase(Locale.ROOT))
                : null;
    }

    boolean accepts(int status) {
        return status >= 0 && accepted.get(status);
    }

    /** As configured, e.g. {@code 2xx} or {@code 200, 301}. */
    @Override
    public String toString() {
        return description;
    }
}
