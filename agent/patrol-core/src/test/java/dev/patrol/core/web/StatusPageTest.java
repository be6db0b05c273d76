package dev.patrol.core.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.RunRecord;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.state.SeriesState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusPageTest {
    private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");

    private final ResultStore results = new ResultStore();

    /** Registers the pair and records one CRITICAL run started 90 s before {@link #NOW}. */
    static SeriesState recordRun(ResultStore results, String check, String target, String summary, String output) {
        SeriesState state = results.register(
                new SeriesKey(check, target), "http", Map.of(), Duration.ofSeconds(30), Duration.ofSeconds(10));
        CheckResult result =
                CheckResult.critical(Reason.STATUS_MISMATCH, summary).withOutput(output);
        state.record(new RunRecord(
                check, target, Outcome.CRITICAL, result, NOW.minusSeconds(90), Duration.ofMillis(1234), 2));
        return state;
    }

    private String render(String config) {
        return new StatusPage(results, () -> config, Clock.fixed(NOW, ZoneOffset.UTC)).render();
    }

    @Test
    void escapesEverythingThatComesFromConfigOrRemoteSystems() {
        recordRun(results, "home<page>", "web-\"1\"", "<script>alert('x')</script>", "</pre><b>&amp;</b>");

        String html = render("secret = \"<masked>\"");

        assertThat(html)
                .contains("home&lt;page&gt;", "web-&quot;1&quot;")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                .contains("&lt;/pre&gt;&lt;b&gt;&amp;amp;&lt;/b&gt;")
                .contains("secret = &quot;&lt;masked&gt;&quot;")
                .doesNotContain("<script", "<b>", "<masked>", "home<page>");
    }

    @Test
    void showsTheLastRunWithItsDetailsAndHistory() {
        recordRun(results, "homepage", "web-1", "HTTP 503, expected 2xx", "upstream timed out");

        String html = render("");

        assertThat(html)
                .contains("<span class=\"st critical\">CRITICAL</span>")
                .contains("status_mismatch")
                .contains("1.23 s")
                .contains("2025-01-02T03:02:35Z", "(90s ago)")
                .contains("<details><summary>HTTP 503, expected 2xx</summary><pre>upstream timed out</pre>")
                .contains("Recent runs", "Recent failures")
                .doesNotContain("Effective configuration");
    }

    @Test
    void notesSamplesTheLastScrapeLeftOutOnTheRow() {
        SeriesState state = recordRun(results, "clashing", "web-1", "2 samples", "");
        state.noteUnexposed(state.last().orElseThrow(), Map.of("type_clash", 1, "reserved_name", 2));

        assertThat(render(""))
                .contains("<summary>2 samples <span class=\"muted\">[3 samples not on /metrics: 2 reserved_name,"
                        + " 1 type_clash]</span></summary>");
    }

    @Test
    void countsEachStatusAndPendingPairs() {
        recordRun(results, "a", "t1", "down", "");
        recordRun(results, "b", "t1", "down", "");
        results.register(new SeriesKey("c", "t1"), "tcp", Map.of(), Duration.ofSeconds(60), Duration.ofSeconds(5));

        String html = render("");

        assertThat(html)
                .contains("3 series")
                .contains("CRITICAL 2</span>", "OK 0</span>", "PENDING 1</span>")
                .contains("Not run yet; every 60 s")
                .contains("<a href=\"/metrics\">/metrics</a>")
                .contains("<meta http-equiv=\"refresh\" content=\"10\">");
    }

    @Test
    void saysSoWhenNothingIsConfigured() {
        assertThat(render("")).contains("No checks are configured.").contains("0 series");
    }
}
