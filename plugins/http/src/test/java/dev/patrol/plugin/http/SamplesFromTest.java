package dev.patrol.plugin.http;

import static dev.patrol.plugin.http.HttpTestSupport.block;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.Sample;
import dev.patrol.api.SettingsProblem;
import dev.patrol.testing.PluginTestSupport;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SamplesFromTest {
    static final String QUEUES =
            """
            url = "http://127.0.0.1/stats"
            samples-from.queues {
              path = "$.queues[*]"
              labels { queue = "name" }
              values { depth = "messages", consumers = "consumers" }
            }
            """;

    /** {@code {"queues": [{"name": "q000", "messages": 0, "consumers": 0}, ...]}} with {@code count} queues. */
    static String queues(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> "{\"name\": \"q%03d\", \"messages\": %d, \"consumers\": %d}".formatted(i, i * 10, i % 3))
                .collect(Collectors.joining(", ", "{\"queues\": [", "]}"));
    }

    private static SamplesFrom parse(String hocon) {
        return SamplesFrom.from(block(hocon));
    }

    private static List<Sample> series(SamplesFrom.Extraction extraction, String name) {
        return extraction.samples().stream()
                .filter(sample -> sample.name().equals(name))
                .toList();
    }

    private static double dropped(SamplesFrom.Extraction extraction) {
        return series(extraction, SamplesFrom.DROPPED).get(0).value();
    }

    @Test
    void pagesAreOneListWhoseSeriesMaxSeriesCountsTogether() {
        SamplesFrom samplesFrom = parse(QUEUES + "max-series = 5\nmax-pages = 3");
        String second = "{\"queues\": [{\"name\": \"q001\", \"messages\": 7, \"consumers\": 1},"
                + " {\"name\": \"q100\", \"messages\": 1000, \"consumers\": 1}]}";

        SamplesFrom.Extraction extraction = samplesFrom.extract(List.of(queues(2), second));

        assertThat(samplesFrom.maxPages()).isEqualTo(3);
        assertThat(series(extraction, "patrol_sample_queues_depth"))
                .extracting(sample -> sample.labels().get("queue"))
                .containsExactly("q000", "q001", "q100");
        assertThat(series(extraction, "patrol_sample_queues_consumers")).hasSize(2);
        assertThat(dropped(extraction))
                .as("q001 repeats page 1's labels (2 values); q100's consumers is the 6th series of max 5")
                .isEqualTo(3);
    }

    @Test
    void aPageThatIsNotJsonIsNamed() {
        SamplesFrom.Extraction extraction = parse(QUEUES).extract(List.of(queues(1), "<html>"));
        assertThat(extraction.note()).isEqualTo("samples-from: body is not JSON (page 2)");
    }

    @Test
    void maxPagesIsBounded() {
        assertThat(parse(QUEUES).maxPages()).isEqualTo(1);
        for (String bad : List.of("max-pages = 0", "max-pages = 101")) {
            String hocon = QUEUES + bad;
            assertThat(PluginTestSupport.problems(hocon, () -> parse(hocon)))
                    .extracting(SettingsProblem::format)
                    .singleElement()
                    .asString()
                    .contains("max-pages");
        }
    }

    @Test
    void eachObjectBecomesOneLabelledSeriesPerValue() {
        SamplesFrom.Extraction extraction = parse(QUEUES).extract(queues(3));
        assertThat(series(extraction, "patrol_sample_queues_depth"))
                .containsExactly(
                        Sample.gauge("queues_depth", Map.of("queue", "q000"), 0),
                        Sample.gauge("queues_depth", Map.of("queue", "q001"), 10),
                        Sample.gauge("queues_depth", Map.of("queue", "q002"), 20));
        assertThat(series(extraction, "patrol_sample_queues_consumers")).hasSize(3);
        assertThat(dropped(extraction)).isZero();
        assertThat(extraction.note()).isNull();
    }

    @Test
    void threeHundredQueuesAreThreeHundredSeriesUnderTheDefaultCap() {
        String oneValue = QUEUES.replace(", consumers = \"consumers\"", "");
        SamplesFrom.Extraction extraction = parse(oneValue).extract(queues(300));
        assertThat(series(extraction, "patrol_sample_queues_depth"))
                .hasSize(300)
                .extracting(sample -> sample.labels().get("queue"))
                .doesNotHaveDuplicates();
        assertThat(dropped(extraction)).isZero();
    }

    @Test
    void maxSeriesCapsARunAndTheRestIsCounted() {
        SamplesFrom.Extraction extraction = parse(QUEUES + "max-series = 100").extract(queues(300));
        assertThat(extraction.samples()).hasSize(100 + 1);
        assertThat(dropped(extraction)).isEqualTo(500);
        assertThat(extraction.note()).contains("500 series dropped");
    }

    @Test
    void labelValuesAreSanitisedAndBadOrRepeatedObjectsDropped() {
        String body =
                """
                {"queues": [
                  {"name": "a\\nb", "messages": 1},
                  {"name": "a\\nb", "messages": 2},
                  {"messages": 3},
                  {"name": {"nested": true}, "messages": 4},
                  {"name": "%s", "messages": 5},
                  {"name": 7, "messages": "many"},
                  {"name": "ok", "messages": true}
                ]}
                """
                        .formatted("x".repeat(300));
        SamplesFrom.Extraction extraction =
                parse(QUEUES.replace(", consumers = \"consumers\"", "")).extract(body);
        assertThat(series(extraction, "patrol_sample_queues_depth"))
                .containsExactly(
                        Sample.gauge("queues_depth", Map.of("queue", "a_b"), 1),
                        Sample.gauge("queues_depth", Map.of("queue", "ok"), 1));
        assertThat(dropped(extraction)).isEqualTo(5);
    }

    @Test
    void aLabelClashingWithCheckTargetOrAStaticLabelIsRefused() {
        String hocon =
                """
                url = "http://127.0.0.1/stats"
                labels { team = "ops" }
                samples-from.q {
                  path = "$.queues[*"
                  labels { target = "name", team = "team", ok = "name" }
                  values { Depth = "messages" }
                }
                samples-from.r { path = "$.x[*]" }
                max-series = 5000
                """;
        List<String> problems = PluginTestSupport.problems(hocon, () -> parse(hocon)).stream()
                .map(SettingsProblem::format)
                .map(line -> line.replaceFirst("^.*?:\\d+: ", ""))
                .toList();
        assertThat(problems)
                .anySatisfy(p -> assertThat(p).startsWith("max-series: expected an integer from 1 to 1000"))
                .anySatisfy(p -> assertThat(p).startsWith("samples-from.q.path: expected a JSON path"))
                .anySatisfy(p -> assertThat(p).startsWith("samples-from.q.labels.target: expected a label other"))
                .anySatisfy(p -> assertThat(p).startsWith("samples-from.q.labels.team: expected a label other"))
                .anySatisfy(p -> assertThat(p).startsWith("samples-from.q.values.Depth: expected a value name"))
                .anySatisfy(p -> assertThat(p).startsWith("samples-from.r: values is required"))
                .noneSatisfy(p -> assertThat(p).contains("labels.ok"));
    }
}
