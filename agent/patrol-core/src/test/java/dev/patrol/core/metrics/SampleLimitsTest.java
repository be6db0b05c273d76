package dev.patrol.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.patrol.api.Sample;
import dev.patrol.api.Sample.Kind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleLimitsTest {

    private static Map<String, String> labels(int count, int nameLength, int valueLength) {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < count; i++) {
            labels.put(
                    "l" + i
                            + "_"
                                    .repeat(Math.max(
                                            0,
                                            nameLength - 2 - String.valueOf(i).length())) + "x",
                    "v".repeat(valueLength));
        }
        return labels;
    }

    @Test
    void samplesWithinEveryBoundAreKeptInOrder() {
        List<Sample> samples = List.of(
                Sample.gauge(
                        "a", labels(Sample.MAX_LABELS, Sample.MAX_LABEL_NAME_CHARS, Sample.MAX_LABEL_VALUE_CHARS), 1),
                Sample.metric("b".repeat(Sample.MAX_NAME_CHARS), Kind.GAUGE, Map.of(), 2));
        SampleLimits.Applied applied = SampleLimits.apply(samples);

        assertThat(applied.kept()).isEqualTo(samples);
        assertThat(applied.dropped()).isEmpty();
    }

    @Test
    void eachBoundHasItsReason() {
        SampleLimits.Applied applied = SampleLimits.apply(List.of(
                Sample.gauge("value", Map.of("v", "x".repeat(Sample.MAX_LABEL_VALUE_CHARS + 1)), 1),
                Sample.gauge("name", labels(1, Sample.MAX_LABEL_NAME_CHARS + 1, 1), 1),
                Sample.gauge("many", labels(Sample.MAX_LABELS + 1, 3, 1), 1),
                Sample.metric("b".repeat(Sample.MAX_NAME_CHARS + 1), Kind.GAUGE, Map.of(), 2),
                Sample.metric("_total", Kind.COUNTER, Map.of(), 2)));

        assertThat(applied.kept()).isEmpty();
        assertThat(applied.dropped())
                .containsOnly(
                        entry(DropReason.LABEL_TOO_LONG, 2),
                        entry(DropReason.TOO_MANY_LABELS, 1),
                        entry(DropReason.INVALID_NAME, 2));
    }

    @Test
    void aCounterNamedWithAndWithoutTotalIsOneSeries() {
        SampleLimits.Applied applied = SampleLimits.apply(List.of(
                Sample.metric("jobs", Kind.COUNTER, Map.of("k", "1"), 1),
                Sample.metric("jobs_total", Kind.COUNTER, Map.of("k", "1"), 2),
                Sample.metric("jobs_total", Kind.COUNTER, Map.of("k", "2"), 3)));

        assertThat(applied.kept()).extracting(Sample::value).containsExactly(1.0, 3.0);
        assertThat(applied.dropped()).containsOnly(entry(DropReason.DUPLICATE, 1));
        assertThat(applied.note()).isEqualTo("1 sample dropped by Patrol: 1 duplicate");
    }

    @Test
    void duplicatesDoNotUseUpThePerRunLimit() {
        List<Sample> samples = new java.util.ArrayList<>();
        for (int i = 0; i < Sample.MAX_PER_RUN * 2; i++) {
            samples.add(Sample.gauge("s" + (i % 10), i));
        }
        for (int i = 0; i < Sample.MAX_PER_RUN; i++) {
            samples.add(Sample.gauge("t" + i, i));
        }
        SampleLimits.Applied applied = SampleLimits.apply(samples);

        assertThat(applied.kept()).hasSize(Sample.MAX_PER_RUN);
        assertThat(applied.dropped())
                .containsOnly(
                        entry(DropReason.DUPLICATE, Sample.MAX_PER_RUN * 2 - 10), entry(DropReason.OVER_LIMIT, 10));
    }
}
