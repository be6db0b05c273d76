package dev.patrol.core.web;

import static dev.patrol.core.web.HtmlSupport.escape;

import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.RunRecord;
import dev.patrol.core.state.SeriesState;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /}: one self-contained HTML page (inline CSS, no scripts, refreshes itself every 10 s) with the counts
 * per status, a row per (check, target) and, folded away, each row's output, recent runs and recent failures, and the
 * effective configuration. Every value that is not a literal of this class is escaped: summaries and output quote
 * remote systems.
 *
 * <p>Thread-safe: it reads snapshots from the {@link ResultStore}.
 */
final class StatusPage {
    static final String CONTENT_TYPE = "text/html; charset=utf-8";

    private static final String STYLE =
            """
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
            h1{font-size:1.4em;margin:0 0 .3em}
            a{color:#0b5cad}
            table{border-collapse:collapse;width:100%}
            th,td{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
            th{background:#f4f4f4}
            td.num{text-align:right;white-space:nowrap}
            pre{background:#f7f7f7;padding:.5em;max-height:20em;overflow:auto;white-space:pre-wrap}
            .st{font-weight:600;padding:.1em .4em;border-radius:3px;white-space:nowrap}
            .ok{background:#d4edda;color:#155724}
            .warning{background:#fff3cd;color:#856404}
            .critical,.timeout{background:#f8d7da;color:#721c24}
            .unknown,.error{background:#e2d9f3;color:#4b2a85}
            .pending{background:#e9ecef;color:#555}
            .counts span{margin-right:.6em}
            details table{margin:.3em 0 .8em}
            .muted{color:#777}
            """;

    private final ResultStore results;
    private final Supplier<String> effectiveConfig;
    private final Clock clock;

    StatusPage(ResultStore results, Supplier<String> effectiveConfig, Clock clock) {
        this.results = results;
        this.effectiveConfig = effectiveConfig;
        this.clock = clock;
    }

    String render() {
        Instant now = clock.instant();
        List<SeriesState> series = results.all();
        StringBuilder html = new StringBuilder(4096 + series.size() * 512);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"10\">")
                .append("<title>Patrol</title><style>")
                .append(STYLE)
                .append("</style></head><body>\n<h1>Patrol</h1>\n<p>")
                .append("<a href=\"/metrics\">/metrics</a> · <a href=\"/-/healthy\">/-/healthy</a> · ")
                .append("<a href=\"/-/ready\">/-/ready</a> · <span class=\"muted\">")
                .append(now.truncatedTo(ChronoUnit.SECONDS))
                .append("</span></p>\n");
        appendCounts(html, series);
        appendTable(html, series, now);
        appendConfig(html);
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void appendCounts(StringBuilder html, List<SeriesState> series) {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        int pending = 0;
        for (SeriesState state : series) {
            RunRecord last = state.last().orElse(null);
            if (last == null) {
                pending++;
            } else {
                counts.merge(last.outcome(), 1, Integer::sum);
            }
        }
        html.append("<p class=\"counts\">").append(series.size()).append(" series: ");
        for (Outcome outcome : Outcome.values()) {
            html.append("<span class=\"st ")
                    .append(outcome.label())
                    .append("\">")
                    .append(outcome.name())
                    .append(' ')
                    .append(counts.getOrDefault(outcome, 0))
                    .append("</span>");
        }
        html.append("<span class=\"st pending\">PENDING ").append(pending).append("</span></p>\n");
    }

    private static void appendTable(StringBuilder html, List<SeriesState> series, Instant now) {
        if (series.isEmpty()) {
            html.append("<p class=\"muted\">No checks are configured.</p>\n");
            return;
        }
        html.append("<table><thead><tr><th>Check</th><th>Target</th><th>Type</th><th>Status</th><th>Reason</th>")
                .append("<th>Duration</th><th>Last run</th><th>Attempts</th><th>Summary</th></tr></thead><tbody>\n");
        for (SeriesState state : series) {
            StatusRow.append(html, state, now);
        }
        html.append("</tbody></table>\n");
    }

    private void appendConfig(StringBuilder html) {
        String config = effectiveConfig.get();
        if (config == null || config.isEmpty()) {
            return;
        }
        html.append("<details><summary>Effective configuration</summary><pre>")
                .append(escape(config))
                .append("</pre></details>\n");
    }
}
