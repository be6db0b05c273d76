package dev.patrol.plugin.sshcommand;

import java.util.ArrayList;
import java.util.List;

/**
 * What Patrol itself has to say about one run, beside the command's own output: short notes appended to the summary
 * ("3 perfdata items skipped") and the detail lines behind them, for the result's output. Details are capped, since
 * a broken command can print thousands of bad lines. Not thread-safe; one per run.
 */
final class Notes {
    static final int MAX_DETAILS = 20;

    private final List<String> summary = new ArrayList<>();
    private final List<String> details = new ArrayList<>();
    private int moreDetails;

    /** {@code "1 line"} or {@code "2 lines"}. */
    static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    void summary(String note) {
        summary.add(note);
    }

    void detail(String line) {
        if (details.size() < MAX_DETAILS) {
            details.add(line);
        } else {
            moreDetails++;
        }
    }

    void details(List<String> lines) {
        lines.forEach(this::detail);
    }

    /** {@code text} followed by the summary notes in brackets, e.g. {@code "DISK OK [1 perfdata item skipped]"}. */
    String appendTo(String text) {
        if (summary.isEmpty()) {
            return text;
        }
        String notes = "[" + String.join("; ", summary) + "]";
        return text.isEmpty() ? notes : text + " " + notes;
    }

    /** The detail lines, one per line, ending with how many more were left out; empty when there are none. */
    String details() {
        if (details.isEmpty()) {
            return "";
        }
        String text = String.join("\n", details);
        return moreDetails == 0 ? text : text + "\n... and " + moreDetails + " more";
    }
}
