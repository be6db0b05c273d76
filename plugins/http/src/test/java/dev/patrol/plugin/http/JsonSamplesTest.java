package dev.patrol.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.Sample;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonSamplesTest {
    private static final String BODY =
            """
            {"queue": {"depth": 12, "paused": false}, "ratio": 0.25, "name": "main", "items": [1, 2]}
            """;

    private static JsonSamples parse(Map<String, String> entries) {
        Map<String, String> problems = new LinkedHashMap<>();
        JsonSamples samples = JsonSamples.parse(entries, problems);
        assertThat(problems).isEmpty();
        return samples;
    }

    @Test
    void readsNumbersAndBooleansAsGauges() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("queue_depth", "$.queue.depth");
        entries.put("queue_paused", "$.queue.paused");
        entries.put("ratio", "$.ratio");

        JsonSamples.Extraction extraction = parse(entries).extract(BODY);

        assertThat(extraction.problem()).isNull();
        assertThat(extraction.samples())
                .containsExactly(
                        Sample.gauge("queue_depth", 12), Sample.gauge("queue_paused", 0), Sample.gauge("ratio", 0.25));
    }

    @Test
    void missingPathIsAProblemAndTheOthersAreStillRead() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("missing", "$.queue.size");
        entries.put("queue_depth", "$.queue.depth");

        JsonSamples.Extraction extraction = parse(entries).extract(BODY);

        assertThat(extraction.problem()).isEqualTo("sample missing: $['queue']['size'] not found");
        assertThat(extraction.samples()).containsExactly(Sample.gauge("queue_depth", 12));
    }

    @Test
    void valueThatIsNotANumberIsAProblem() {
        assertThat(parse(Map.of("name", "$.name")).extract(BODY).problem()).contains("got a string");
        assertThat(parse(Map.of("items", "$.items")).extract(BODY).problem()).contains("got a list");
    }

    @Test
    void bodyThatIsNotJsonIsAProblem() {
        assertThat(parse(Map.of("q", "$.q")).extract("<html>").problem()).isEqualTo("body is not JSON");
    }

    @Test
    void badNamesAndPathsAreReportedPerKey() {
        Map<String, String> problems = new LinkedHashMap<>();

        JsonSamples.parse(Map.of("Bad-Name", "$.a", "ok", "$.["), problems);

        assertThat(problems).containsOnlyKeys("Bad-Name", "ok");
    }
}
