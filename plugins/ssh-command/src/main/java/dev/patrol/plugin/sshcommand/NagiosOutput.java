package dev.patrol.plugin.sshcommand;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a Nagios plugin's standard output, in the format of the monitoring-plugins guidelines:
 *
 * <pre>
 * TEXT OUTPUT | OPTIONAL PERFDATA
 * LONG TEXT LINE 1
 * LONG TEXT LINE 2 | PERFDATA LINE 2
 * PERFDATA LINE 3
 * </pre>
 *
 * The first line's text is the summary; the lines after it are long output until one holds a {@code |}, after which
 * every line is performance data.
 *
 * <pre>{@code
 * NagiosOutput out = NagiosOutput.parse("PROCS OK: 95 processes | procs=95;;;0;\n");
 * out.text()       // "PROCS OK: 95 processes"
 * out.perfdata()   // "procs=95;;;0;"
 * }</pre>
 *
 * @param text the first line before any {@code |}, stripped; empty when the plugin printed nothing
 * @param longOutput the long output lines, joined by newlines
 * @param perfdata every piece of performance data, joined by single spaces
 */
record NagiosOutput(String text, String longOutput, String perfdata) {

    static NagiosOutput parse(String stdout) {
        List<String> lines = lines(stdout);
        if (lines.isEmpty()) {
            return new NagiosOutput("", "", "");
        }
        StringBuilder perfdata = new StringBuilder();
        String first = lines.get(0);
        int bar = first.indexOf('|');
        String text = (bar < 0 ? first : first.substring(0, bar)).strip();
        if (bar >= 0) {
            append(perfdata, first.substring(bar + 1));
        }
        List<String> longOutput = new ArrayList<>();
        boolean inPerfdata = false;
        for (String line : lines.subList(1, lines.size())) {
            if (inPerfdata) {
                append(perfdata, line);
                continue;
            }
            int longBar = line.indexOf('|');
            if (longBar < 0) {
                longOutput.add(line);
            } else {
                longOutput.add(line.substring(0, longBar).stripTrailing());
                append(perfdata, line.substring(longBar + 1));
                inPerfdata = true;
            }
        }
        while (!longOutput.isEmpty() && longOutput.get(longOutput.size() - 1).isBlank()) {
            longOutput.remove(longOutput.size() - 1);
        }
        return new NagiosOutput(text, String.join("\n", longOutput).stripTrailing(), perfdata.toString());
    }

    /** The lines of {@code text}, without line terminators ({@code \n} or {@code \r\n}); no trailing empty line. */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static void append(StringBuilder perfdata, String piece) {
        String trimmed = piece.strip();
        if (!trimmed.isEmpty()) {
            if (perfdata.length() > 0) {
                perfdata.append(' ');
            }
            perfdata.append(trimmed);
        }
    }
}
