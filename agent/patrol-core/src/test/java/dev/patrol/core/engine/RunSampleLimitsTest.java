package dev.patrol.core.engine;

import static dev.patrol.core.engine.EngineFixtures.LIMITS;
import static dev.patrol.core.engine.EngineFixtures.check;
import static dev.patrol.core.engine.EngineFixtures.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Sample;
import dev.patrol.core.metrics.AgentMetrics;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.RunRecord;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine keeps only what {@link dev.patrol.core.metrics.SampleLimits} allows, says so and counts it. */
class RunSampleLimitsTest {
    private final CollectorRegistry registry = new CollectorRegistry();
    private final AgentMetrics metrics = new AgentMetrics(() -> 0);
    private final CheckEngine engine =
            new CheckEngine(LIMITS, null, null, new ResultStore(), metrics, Clock.systemUTC());

    RunSampleLimitsTest() {
        metrics.register(registry);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private RunRecord run(List<Sample> samples) throws Exception {
        var check = check(
                "many",
                (t, c) -> CompletableFuture.completedFuture(CheckResult.ok("fine", samples)),
                Duration.ofSeconds(5),
                0,
                target("a"));
        return engine.run(check, check.targets().get(0)).get(10, TimeUnit.SECONDS);
    }

    private double dropped(String reason) {
        Double value =
                registry.getSampleValue("patrol_samples_dropped_total", new String[] {"reason"}, new String[] {reason});
        return value == null ? -1 : value;
    }

    @Test
    void everySampleUpToThePerRunLimitIsKept() throws Exception {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < Sample.MAX_PER_RUN; i++) {
            samples.add(Sample.gauge("s" + i, i));
        }
        RunRecord record = run(samples);

        assertThat(record.result().samples()).hasSize(Sample.MAX_PER_RUN);
        assertThat(record.result().summary()).isEqualTo("fine");
        assertThat(dropped("over_limit")).isZero();
    }

    @Test
    void samplesOverTheLimitsAreDroppedCountedAndNamedInTheSummary() throws Exception {
        List<Sample> samples = new ArrayList<>();
        samples.add(Sample.gauge("huge", Map.of("path", "x".repeat(5 * 1024 * 1024)), 1));
        samples.add(Sample.gauge("fine", Map.of("path", "x".repeat(Sample.MAX_LABEL_VALUE_CHARS)), 1));
        for (int i = 0; i < Sample.MAX_PER_RUN + 10; i++) {
            samples.add(Sample.gauge("s" + i, i));
        }
        RunRecord record = run(samples);

        assertThat(record.result().samples()).hasSize(Sample.MAX_PER_RUN);
        assertThat(record.result().samples().get(0).name()).isEqualTo("patrol_sample_fine");
        assertThat(record.result().samples())
                .allSatisfy(sample -> assertThat(sample.labels().values())
                        .allSatisfy(value -> assertThat(value).hasSizeLessThanOrEqualTo(256)));
        assertThat(record.result().summary())
                .isEqualTo("fine [12 samples dropped by Patrol: 11 over_limit, 1 label_too_long]");
        assertThat(dropped("over_limit")).isEqualTo(11);
        assertThat(dropped("label_too_long")).isEqualTo(1);
        assertThat(dropped("type_clash")).isZero();
    }
}
