package dev.patrol.core.web;

import static dev.patrol.core.web.HtmlSupport.escape;

import dev.patrol.api.Reason;
import dev.patrol.core.state.RunRecord;
import dev.patrol.core.state.SeriesState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** One (check, target) row of the status page, with its output and history folded into a {@code <details>}. */
final class StatusRow {

    private StatusRow() {}

    static void append(StringBuilder html, SeriesState state, Instant now) {
        html.append("<tr><td>")
                .append(escape(state.key().check()))
                .append("</td><td>")
                .append(escape(state.key().target()))
                .append("</td><td>")
                .append(escape(state.type()))
                .append("</td>");
        RunRecord last = state.last().orElse(null);
        if (last == null) {
            html.append("<td><span class=\"st pending\">PENDING</span></td><td></td><td></td><td></td><td></td>")
                    .append("<td class=\"muted\">Not run yet; ")
                    .append(
                            state.interval().isZero()
                                    ? "on its cron schedule"
                                    : "every " + HtmlSupport.duration(state.interval()))
                    .append("</td></tr>\n");
            return;
        }
        html.append("<td>");
        badge(html, last);
        state.hardSoft().ifPresent(pair -> html.append(" <span class=\"muted\">")
                .append(escape(pair.describe()))
                .append("</span>"));
        state.lastAction().ifPresent(action -> html.append("<br><span class=\"muted\">action ")
                .append(escape(action))
                .append("</span>"));
        html.append("</td><td>")
                .append(reason(last))
                .append("</td><td class=\"num\">")
                .append(HtmlSupport.duration(last.duration()))
                .append("</td><td>")
                .append(last.startedAt().truncatedTo(ChronoUnit.SECONDS))
                .append(" <span class=\"muted\">(")
                .append(HtmlSupport.age(Duration.between(last.startedAt(), now)))
                .append(" ago)</span></td><td class=\"num\">")
                .append(last.attempts())
                .append("</td><td><details><summary>")
                .append(escape(summaryOf(last)));
        unexposed(html, state.unexposed());
        html.append("</summary>");
        String output = last.result().output();
        if (!output.isEmpty()) {
            html.append("<pre>").append(escape(output)).append("</pre>");
        }
        runs(html, "Recent runs", state.history());
        runs(html, "Recent failures", state.failures());
        html.append("</details></td></tr>\n");
    }

    /** A short note on the samples of the last run that /metrics leaves out, e.g. "[1 sample not on /metrics: ...]". */
    private static void unexposed(StringBuilder html, Map<String, Integer> dropped) {
        if (dropped.isEmpty()) {
            return;
        }
        int total = dropped.values().stream().mapToInt(Integer::intValue).sum();
        StringJoiner reasons = new StringJoiner(", ");
        dropped.forEach((reason, count) -> reasons.add(count + " " + reason));
        html.append(" <span class=\"muted\">[")
                .append(total)
                .append(total == 1 ? " sample" : " samples")
                .append(" not on /metrics: ")
                .append(escape(reasons.toString()))
                .append("]</span>");
    }

    private static void runs(StringBuilder html, String title, List<RunRecord> runs) {
        if (runs.isEmpty()) {
            return;
        }
        html.append("<strong>")
                .append(title)
                .append("</strong><table><tr><th>Started</th><th>Status</th><th>Reason</th><th>Duration</th>")
                .append("<th>Attempts</th><th>Summary</th></tr>");
        for (RunRecord run : runs) {
            html.append("<tr><td>")
                    .append(run.startedAt().truncatedTo(ChronoUnit.SECONDS))
                    .append("</td><td>");
            badge(html, run);
            html.append("</td><td>")
                    .append(reason(run))
                    .append("</td><td class=\"num\">")
                    .append(HtmlSupport.duration(run.duration()))
                    .append("</td><td class=\"num\">")
                    .append(run.attempts())
                    .append("</td><td>")
                    .append(escape(run.result().summary()))
                    .append("</td></tr>");
        }
        html.append("</table>");
    }

    private static void badge(StringBuilder html, RunRecord run) {
        html.append("<span class=\"st ")
                .append(run.outcome().label())
                .append("\">")
                .append(run.outcome().name())
                .append("</span>");
    }

    private static String reason(RunRecord run) {
        Reason reason = run.result().reason();
        return reason == Reason.NONE ? "" : reason.label();
    }

    private static String summaryOf(RunRecord run) {
        String summary = run.result().summary();
        return summary.isEmpty() ? "(no summary)" : summary;
    }
}
