package dev.patrol.plugin.sshcommand;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.Sample;
import dev.patrol.plugin.sshcommand.PrometheusTextParser.Parsed;
import dev.patrol.plugin.sshcommand.PrometheusTextParser.Series;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrometheusTextParserTest {

    /** A series as {@code KIND name{sorted labels} value}. */
    private static String describe(Series series) {
        String labels = series.labels().isEmpty() ? "" : new TreeMap<>(series.labels()).toString();
        return series.kind() + " " + series.name() + labels + " " + series.value();
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("bare gauge", "backup_age_seconds 3600\n", List.of("GAUGE backup_age_seconds 3600.0")),
                Arguments.of(
                        "typed counter with labels",
                        "# HELP jobs_total Jobs run.\n# TYPE jobs_total counter\njobs_total{kind=\"full\",ok=\"yes\"} 12\n",
                        List.of("COUNTER jobs_total{kind=full, ok=yes} 12.0")),
                Arguments.of(
                        "OpenMetrics counter family without _total",
                        "# TYPE jobs counter\njobs_total 3\njobs_created 1.7e9\n# EOF\n",
                        List.of("COUNTER jobs_total 3.0")),
                Arguments.of(
                        "label value escapes",
                        "m{path=\"C:\\\\dir\",quote=\"say \\\"hi\\\"\",nl=\"a\\nb\"} 1\n",
                        List.of("GAUGE m{nl=a\nb, path=C:\\dir, quote=say \"hi\"} 1.0")),
                Arguments.of(
                        "blanks, trailing comma and a timestamp",
                        "  m { a = \"1\" , } \t 2.5 1700000000000 \n",
                        List.of("GAUGE m{a=1} 2.5")),
                Arguments.of(
                        "special values",
                        "a NaN\nb +Inf\nc -Inf\nd 1e-3\n",
                        List.of("GAUGE a NaN", "GAUGE b Infinity", "GAUGE c -Infinity", "GAUGE d 0.001")),
                Arguments.of("empty label set", "m{} 4\n", List.of("GAUGE m 4.0")),
                Arguments.of("colons in names", "job:rate5m 0.5\n", List.of("GAUGE job:rate5m 0.5")),
                Arguments.of(
                        "untyped and comments", "# just a comment\n# TYPE u untyped\nu 1\n\n", List.of("GAUGE u 1.0")),
                Arguments.of(
                        "node_exporter textfile style",
                        "# HELP node_apt_upgrades_pending Apt packages pending updates by origin.\n"
                                + "# TYPE node_apt_upgrades_pending gauge\n"
                                + "node_apt_upgrades_pending{arch=\"amd64\",origin=\"Debian:bookworm-security\"} 2\n",
                        List.of("GAUGE node_apt_upgrades_pending{arch=amd64, origin=Debian:bookworm-security} 2.0")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void readsValidText(String name, String text, List<String> expected) {
        Parsed parsed = PrometheusTextParser.parse(text);

        assertThat(parsed.series()).map(PrometheusTextParserTest::describe).containsExactlyElementsOf(expected);
        assertThat(parsed.problems()).isEmpty();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("no value", "m\n", "line 1: expected a value and an optional timestamp after m"),
                Arguments.of("value not a number", "m abc\n", "line 1: invalid sample value 'abc'"),
                Arguments.of("Java-only number syntax", "m 1d\n", "line 1: invalid sample value '1d'"),
                Arguments.of("bad timestamp", "m 1 soon\n", "line 1: invalid timestamp 'soon'"),
                Arguments.of(
                        "too many fields", "m 1 2 3\n", "line 1: expected a value and an optional timestamp after m"),
                Arguments.of("bad metric name", "1m 1\n", "line 1: invalid metric name '1m'"),
                Arguments.of("bad label name", "m{1a=\"x\"} 1\n", "line 1: invalid label name '1a'"),
                Arguments.of("reserved label name", "m{__name__=\"x\"} 1\n", "line 1: invalid label name '__name__'"),
                Arguments.of("unquoted label value", "m{a=x} 1\n", "line 1: expected '\"' at column 5"),
                Arguments.of("unterminated label value", "m{a=\"x} 1\n", "line 1: unterminated label value"),
                Arguments.of("bad escape", "m{a=\"\\t\"} 1\n", "line 1: invalid escape in a label value"),
                Arguments.of("missing brace", "m{a=\"x\" 1\n", "line 1: expected ',' or '}' after label a"),
                Arguments.of("label twice", "m{a=\"x\",a=\"y\"} 1\n", "line 1: label a given twice"),
                Arguments.of("unknown type", "# TYPE m thing\nm 1\n", "line 1: unknown metric type 'thing'"),
                Arguments.of("short TYPE line", "# TYPE m\nm 1\n", "line 1: expected '# TYPE <metric name> <type>'"),
                Arguments.of(
                        "second TYPE", "# TYPE m gauge\n# TYPE m counter\nm 1\n", "line 2: second TYPE line for m"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void skipsInvalidLinesWithTheirNumber(String name, String text, String problem) {
        Parsed parsed = PrometheusTextParser.parse(text + "ok 1\n");

        assertThat(parsed.problems()).containsExactly(problem);
        assertThat(parsed.series()).map(Series::name).endsWith("ok");
    }

    @Test
    void skipsHistogramsAndSummariesButCountsThem() {
        Parsed parsed = PrometheusTextParser.parse(
                """
                # TYPE latency_seconds histogram
                latency_seconds_bucket{le="0.1"} 3
                latency_seconds_bucket{le="+Inf"} 5
                latency_seconds_sum 0.7
                latency_seconds_count 5
                # TYPE rpc_seconds summary
                rpc_seconds{quantile="0.5"} 0.02
                rpc_seconds_sum 1.5
                rpc_seconds_count 40
                # TYPE queue_count gauge
                queue_count 7
                """);

        assertThat(parsed.series()).containsExactly(new Series("queue_count", Sample.Kind.GAUGE, Map.of(), 7));
        assertThat(parsed.skipped()).isEqualTo(7);
        assertThat(parsed.problems()).isEmpty();
    }

    @Test
    void keepsLabelOrderAsWritten() {
        Series series =
                PrometheusTextParser.parse("m{z=\"1\",a=\"2\"} 1").series().get(0);

        assertThat(series.labels().keySet()).containsExactly("z", "a");
    }
}
