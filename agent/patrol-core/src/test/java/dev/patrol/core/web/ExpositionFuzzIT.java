package dev.patrol.core.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Sample;
import dev.patrol.core.metrics.AgentMetrics;
import dev.patrol.core.metrics.CheckCollector;
import dev.patrol.core.metrics.SampleLimits;
import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.RunRecord;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.testing.Promtool;
import io.prometheus.client.hotspot.DefaultExports;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever samples checks return (names of both types, names of the agent's own families, suffixes that other
 * families imply, unicode and huge label values, too many labels, duplicates), a real scrape of {@code /metrics} stays
 * valid: promtool parses it, and the OpenMetrics form has one family per name. Each seed is one random fleet.
 */
class ExpositionFuzzIT {
    private static final List<String> STEMS =
            List.of("clash", "jobs", "load1", "disk_root_bytes", "temp", "a:b", "Upper", "x", "q", "requests", "_");
    private static final List<String> PREFIXES = List.of(
            "patrol_sample_", "patrol_sample_", "patrol_sample_", "", "patrol_check_", "patrol_", "jvm_", "process_");
    private static final List<String> SUFFIXES =
            List.of("", "", "", "_total", "_created", "_count", "_sum", "_bucket", "_info", "_seconds");
    private static final List<String> OWN_FAMILIES = List.of(
            "patrol_check_up",
            "patrol_check_runs_total",
            "patrol_samples_dropped_total",
            "patrol_config_last_reload_successful",
            "patrol_scheduler_lateness_seconds_bucket",
            "jvm_threads_current",
            "process_cpu_seconds_total");
    private static final List<String> LABEL_NAMES = List.of(
            "check", "target", "exported_check", "job", "le", "quantile", "mode", "camelCase", "_x", "b".repeat(101));
    private static final List<String> ODD_VALUES = List.of(
            "",
            "\"",
            "\\",
            "\n",
            "\r\n",
            "\t",
            "\u0000",
            "ü",
            "日本",
            "😀",
            "\uD800",
            "}",
            "{a=\"b\"}",
            "# TYPE x gauge");

    static Stream<Long> seeds() {
        return IntStream.range(0, 12).mapToObj(i -> 0x5eed0000L + i);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomSamplesFromManyChecksKeepTheExpositionValid(long seed) throws Exception {
        Promtool promtool = Promtool.require();
        java.util.Random random = new java.util.Random(seed);
        try (WebFixture web = WebFixture.start(WebFixture.defaults())) {
            AgentMetrics metrics = new AgentMetrics(() -> 0);
            metrics.register(web.registry);
            DefaultExports.register(web.registry);
            web.registry.register(new CheckCollector(web.results, metrics, CheckCollector.namesIn(web.registry)));
            Set<String> sampleNames = new HashSet<>();
            int checks = 10 + random.nextInt(30);
            for (int c = 0; c < checks; c++) {
                String check = "check-" + random.nextInt(1000);
                Map<String, String> staticLabels = random.nextInt(4) == 0 ? Map.of("team", value(random)) : Map.of();
                for (int t = 0; t < 1 + random.nextInt(3); t++) {
                    List<Sample> samples = samples(random, sampleNames);
                    record(web, check, "target-" + t, staticLabels, samples);
                }
            }

            String text = scrape(web, "text/plain");
            String openMetrics = scrape(web, "application/openmetrics-text; version=1.0.0");
            Promtool.Report report = promtool.checkMetrics(text);

            String seedText = "seed " + seed + ", promtool: " + report.output();
            assertThat(report.parsed()).as(seedText).isTrue();
            // Lint advice is allowed only on the names checks chose, never on one of the agent's families.
            assertThat(report.findings()).as(seedText).allSatisfy(finding -> assertThat(sampleNames)
                    .contains(finding.metric()));
            assertThat(text.lines().mapToInt(String::length).max().orElse(0))
                    .as("no line carries an unbounded label value")
                    .isLessThan(20_000);
            OpenMetricsShape.assertOneFamilyPerName(openMetrics);
        }
    }

    private static void record(
            WebFixture web, String check, String target, Map<String, String> labels, List<Sample> samples) {
        // What the engine keeps of a run, then what the store holds: the path of every real result.
        SampleLimits.Applied applied = SampleLimits.apply(samples);
        web.results
                .register(new SeriesKey(check, target), "fuzz", labels, Duration.ofSeconds(30), Duration.ofSeconds(5))
                .record(new RunRecord(
                        check,
                        target,
                        Outcome.OK,
                        CheckResult.ok("fuzz", applied.kept()),
                        Instant.ofEpochSecond(1_700_000_000),
                        Duration.ofMillis(3),
                        1));
    }

    private static String scrape(WebFixture web, String accept) throws Exception {
        HttpResponse<String> response = web.client.send(
                web.request("/metrics").header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static List<Sample> samples(java.util.Random random, Set<String> names) {
        List<Sample> samples = new ArrayList<>();
        int count = random.nextInt(10) == 0 ? Sample.MAX_PER_RUN + random.nextInt(50) : random.nextInt(40);
        for (int i = 0; i < count; i++) {
            if (!samples.isEmpty() && random.nextInt(8) == 0) {
                samples.add(samples.get(random.nextInt(samples.size()))); // a duplicate
                continue;
            }
            String name = name(random);
            Sample.Kind kind = random.nextBoolean() ? Sample.Kind.COUNTER : Sample.Kind.GAUGE;
            String exposed = kind == Sample.Kind.COUNTER && !name.endsWith("_total") ? name + "_total" : name;
            names.add(exposed);
            names.add(kind == Sample.Kind.COUNTER ? exposed.substring(0, exposed.length() - "_total".length()) : name);
            samples.add(Sample.metric(name, kind, labels(random), number(random)));
        }
        return samples;
    }

    private static String name(java.util.Random random) {
        if (random.nextInt(12) == 0) {
            return pick(random, OWN_FAMILIES);
        }
        if (random.nextInt(50) == 0) {
            return "patrol_sample_" + "n".repeat(190 + random.nextInt(20));
        }
        return pick(random, PREFIXES) + pick(random, STEMS) + pick(random, SUFFIXES);
    }

    private static Map<String, String> labels(java.util.Random random) {
        Map<String, String> labels = new TreeMap<>();
        int count = random.nextInt(20) == 0 ? 17 + random.nextInt(5) : random.nextInt(4);
        for (int i = 0; i < count; i++) {
            String name = random.nextInt(3) == 0 ? pick(random, LABEL_NAMES) : "l" + random.nextInt(30);
            labels.put(name, value(random));
        }
        return labels;
    }

    private static String value(java.util.Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> "x".repeat(random.nextInt(40) == 0 ? 5 * 1024 * 1024 : 200 + random.nextInt(100));
            case 1, 2 -> pick(random, ODD_VALUES) + pick(random, ODD_VALUES);
            case 3 -> random.ints(1 + random.nextInt(20), 0, 0x10FFFF)
                    .filter(Character::isValidCodePoint)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                    .toString();
            default -> "v" + random.nextInt(5);
        };
    }

    private static double number(java.util.Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> Double.NaN;
            case 1 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 2 -> -0.0;
            case 3 -> Double.MAX_VALUE;
            default -> random.nextGaussian() * 1e6;
        };
    }

    private static <T> T pick(java.util.Random random, List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
