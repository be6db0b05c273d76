package dev.patrol.e2e;

import static dev.patrol.e2e.SshCommandRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.CheckResult;
import dev.patrol.core.metrics.AgentMetrics;
import dev.patrol.core.metrics.CheckCollector;
import dev.patrol.core.metrics.SampleLimits;
import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.RunRecord;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.testing.Promtool;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.prometheus.client.hotspot.DefaultExports;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What remote commands print, however odd, cannot make the agent's exposition invalid: random Prometheus text and
 * Nagios perfdata from many checks go through this plugin, the limits the engine applies, the result store and the
 * collector, and the exposition must parse in the real promtool, with lint advice only on names the commands chose.
 */
class ExpositionFuzzIT {
    private final CollectorRegistry registry = new CollectorRegistry();
    private final ResultStore store = new ResultStore();
    private final AgentMetrics metrics = new AgentMetrics(() -> 0);

    ExpositionFuzzIT() {
        metrics.register(registry);
        DefaultExports.register(registry);
        registry.register(new CheckCollector(store, metrics, CheckCollector.namesIn(registry)));
    }

    static Stream<Long> seeds() {
        return LongStream.range(0, 8).boxed();
    }

    @Test
    void theSameNameWithTwoTypesFromThreeChecksIsOneFamily() throws Exception {
        record("a", "command = x, output = prometheus", "# TYPE clash counter\nclash 1\n");
        record("b", "command = x, output = prometheus", "clash_total 5\n");
        record("c", "command = x", "OK | clash=5c\n");

        String text = scrape();

        assertThat(text.lines().filter(line -> line.startsWith("# TYPE patrol_sample_clash_total")))
                .containsExactly("# TYPE patrol_sample_clash_total counter");
        assertThat(text)
                .contains("patrol_sample_clash_total{check=\"a\",target=\"web-1\",} 1.0")
                .contains("patrol_sample_clash_total{check=\"c\",target=\"web-1\",} 5.0")
                .doesNotContain("patrol_sample_clash_total{check=\"b\"");
        assertThat(store.get(new SeriesKey("b", "web-1")).orElseThrow().unexposed())
                .containsExactly(Map.entry("type_clash", 1));
        assertLintsClean(text, "clash case");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomOutputOfManyChecksKeepsTheExpositionValid(long seed) throws Exception {
        Random random = new Random(seed);
        RemoteOutput output = new RemoteOutput(random);
        int checks = 10 + random.nextInt(20);
        for (int i = 0; i < checks; i++) {
            String check = "check-" + random.nextInt(100);
            String prefix = random.nextInt(4) == 0 ? ", samples-prefix = p" + random.nextInt(3) : "";
            String limits = ", max-output = 8MiB, max-samples = " + (1 + random.nextInt(SshCommandRuns.MAX_SAMPLES));
            if (random.nextBoolean()) {
                record(check, "command = x, output = prometheus" + prefix + limits, output.prometheusText());
            } else {
                record(check, "command = x, perfdata-limits = min-max" + prefix + limits, output.nagios());
            }
        }
        String text = scrape();
        assertLintsClean(text, "seed " + seed);
        assertThat(text.lines().mapToInt(String::length).max().orElse(0))
                .as("seed %d: no line carries an unbounded label value", seed)
                .isLessThan(20_000);
    }

    private void record(String check, String hocon, String stdout) throws Exception {
        CheckResult result = run(hocon, stdout);
        SampleLimits.Applied applied = SampleLimits.apply(result.samples());
        store.register(
                        new SeriesKey(check, "web-1"),
                        "ssh-command",
                        Map.of(),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(5))
                .record(new RunRecord(
                        check,
                        "web-1",
                        Outcome.OK,
                        result.withSamples(applied.kept()),
                        Instant.ofEpochSecond(1_700_000_000),
                        Duration.ofMillis(3),
                        1));
    }

    private String scrape() throws Exception {
        StringWriter out = new StringWriter();
        TextFormat.write004(out, registry.metricFamilySamples());
        return out.toString();
    }

    private static void assertLintsClean(String text, String what) throws Exception {
        Promtool.Report report = Promtool.require().checkMetrics(text);
        assertThat(report.parsed()).as(what + ": " + report.output()).isTrue();
        // Names are the commands' own choice (a gauge named *_total, units like _ms): lint may advise on those only.
        assertThat(report.findings())
                .as(what + ": " + report.output())
                .allSatisfy(finding -> assertThat(finding.metric()).startsWith("patrol_sample_"));
    }
}
