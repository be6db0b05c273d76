package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.config.LimitsSettings;
import dev.patrol.core.engine.CheckEngine;
import dev.patrol.core.metrics.AgentMetrics;
import dev.patrol.core.metrics.CheckCollector;
import dev.patrol.core.ratelimit.Rate;
import dev.patrol.core.ratelimit.RateLimitSettings;
import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.RunRecord;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.state.SeriesState;
import dev.patrol.core.state.SkipReason;
import dev.patrol.plugin.http.HttpPlugin;
import dev.patrol.testing.Closing;
import dev.patrol.testing.NginxServer;
import dev.patrol.testing.PluginTestSupport;
import dev.patrol.testing.Promtool;
import dev.patrol.transport.http.HttpClientPool;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rate limits, Retry-After and samples-from against a real nginx whose {@code limit_req} answers 429 past 10 r/s (a
 * burst of 5 absorbs timer jitter on a busy machine, never 30 requests at once).
 */
class HttpRateLimitIT {
    private static final int CHECKS = 30;

    @TempDir
    static Path dir;

    private static NginxServer nginx;
    private static HttpClientPool pool;

    private final ResultStore store = new ResultStore();
    private final CollectorRegistry registry = new CollectorRegistry();
    private final AgentMetrics metrics = new AgentMetrics(() -> 0);
    private CheckEngine engine;

    @BeforeAll
    static void startNginx() {
        nginx = NginxServer.create(dir.resolve("nginx"))
                .httpDirective("limit_req_zone $binary_remote_addr zone=api:1m rate=10r/s;")
                .file("api/ok.json", "{\"ok\": true}\n")
                .file("stats.json", queues(300))
                .location("/api/", "limit_req zone=api burst=5 nodelay; limit_req_status 429;")
                .location("= /busy", "add_header Retry-After 2 always; return 429;")
                .start();
        pool = new HttpClientPool();
    }

    @AfterAll
    static void stopNginx() throws Exception {
        Closing.closeAll(pool, nginx);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    private void startEngine(Map<String, RateLimitSettings> limits) {
        engine =
                new CheckEngine(new LimitsSettings(1000, 1000, 1000, 2), pool, null, store, metrics, Clock.systemUTC());
        engine.updateRateLimits(limits);
        metrics.register(registry);
        engine.rateLimitMetrics().register(registry);
        registry.register(new CheckCollector(store, metrics, CheckCollector.namesIn(registry)));
    }

    private static RateLimitSettings limit(String name, String rate) {
        return new RateLimitSettings(
                name, Rate.parse(rate).orElseThrow(), 1, Duration.ofSeconds(30), RateLimitSettings.Per.LIMIT);
    }

    private static CheckSettings check(String name, String path, String rateLimit, List<Target> targets) {
        String hocon = "url = \"" + nginx.url(path) + "\"\n" + (rateLimit == null ? "" : "rate-limit = " + rateLimit);
        Config block = block(hocon).withFallback(ConfigFactory.parseString("timeout = 60s"));
        return new CheckSettings(
                name,
                "http",
                new HttpPlugin().parse(block),
                Duration.ofSeconds(30),
                null,
                Duration.ofSeconds(60),
                0,
                Duration.ofSeconds(1),
                targets,
                Map.of(),
                List.of(),
                block);
    }

    private List<SeriesState> fireAll(CheckSettings check) {
        List<SeriesState> states = check.targets().stream()
                .map(target -> store.register(
                        new SeriesKey(check.name(), target.name()),
                        "http",
                        Map.of(),
                        check.interval(),
                        check.timeout()))
                .toList();
        check.targets().forEach(target -> engine.fire(check, target));
        return states;
    }

    private static List<Target> targets(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> Target.of("api-" + i, "127.0.0.1", nginx.port()))
                .toList();
    }

    private static long finished(List<SeriesState> states) {
        return states.stream()
                .mapToLong(state -> state.runs(Outcome.OK)
                        + state.runs(Outcome.CRITICAL)
                        + state.runs(Outcome.UNKNOWN)
                        + state.skips(SkipReason.RATE_LIMIT))
                .sum();
    }

    @Test
    void checksSharingALimitBelowTheServersGetNo429() {
        startEngine(Map.of("api", limit("api", "5/s")));
        List<SeriesState> states = fireAll(check("shared", "/api/ok.json", "api", targets(CHECKS)));
        await().atMost(Duration.ofSeconds(60)).until(() -> finished(states) == CHECKS);
        assertThat(states).allSatisfy(state -> {
            assertThat(state.runs(Outcome.OK))
                    .as(state.key() + " " + state.last())
                    .isEqualTo(1);
            assertThat(state.skips(SkipReason.RATE_LIMIT)).isZero();
        });
        assertThat(registry.getSampleValue(
                        "patrol_rate_limit_waits_total", new String[] {"limit"}, new String[] {"api"}))
                .isGreaterThanOrEqualTo(CHECKS - 1.0);
    }

    @Test
    void withoutTheLimitTheSameChecksAreThrottledAndSkippedNotFailed() {
        startEngine(Map.of());
        List<SeriesState> states = fireAll(check("unshared", "/api/ok.json", null, targets(CHECKS)));
        await().atMost(Duration.ofSeconds(60)).until(() -> finished(states) == CHECKS);
        long throttled = states.stream()
                .mapToLong(state -> state.skips(SkipReason.RATE_LIMIT))
                .sum();
        assertThat(throttled)
                .as("nginx answered 429 to some of 30 requests at once")
                .isPositive();
        assertThat(states)
                .allSatisfy(state -> assertThat(state.runs(Outcome.CRITICAL)).isZero());
        double counted = states.stream()
                .mapToDouble(state -> registry.getSampleValue(
                                        "patrol_http_throttled_total",
                                        new String[] {"check", "target"},
                                        new String[] {"unshared", state.key().target()})
                                == null
                        ? 0
                        : registry.getSampleValue(
                                "patrol_http_throttled_total",
                                new String[] {"check", "target"},
                                new String[] {"unshared", state.key().target()}))
                .sum();
        assertThat(counted).isEqualTo(throttled);
    }

    @Test
    void aRetryAfterPausesTheLimitForTheWholeTime() {
        startEngine(Map.of("api", limit("api", "100/s")));
        Instant busyFiredAt = Instant.now();
        List<SeriesState> busy = fireAll(check("busy", "/busy", "api", targets(1)));
        await().atMost(Duration.ofSeconds(30)).until(() -> busy.get(0).skips(SkipReason.RATE_LIMIT) == 1);
        List<SeriesState> after = fireAll(check("after", "/api/ok.json", "api", targets(1)));
        await().atMost(Duration.ofSeconds(30)).until(() -> after.get(0).runs(Outcome.OK) == 1);
        RunRecord run = after.get(0).last().orElseThrow();
        assertThat(Duration.between(busyFiredAt, run.startedAt()))
                .as("the run waited out nginx's Retry-After: 2, which began after the busy run was fired")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(run.outcome()).isEqualTo(Outcome.OK);
        assertThat(registry.getSampleValue(
                        "patrol_rate_limit_waits_total", new String[] {"limit"}, new String[] {"api"}))
                .isEqualTo(1.0);
    }

    @Test
    void threeHundredQueuesBecomeThreeHundredSeriesThatPromtoolAccepts() throws Exception {
        startEngine(Map.of());
        String hocon =
                """
                url = "%s"
                samples-from.queues { path = "$.queues[*]", labels { queue = "name" }, values { depth = "messages" } }
                """
                        .formatted(nginx.url("/stats.json"));
        Config block = block(hocon);
        CheckSettings check = new CheckSettings(
                "queues",
                "http",
                new HttpPlugin().parse(block),
                Duration.ofSeconds(30),
                null,
                Duration.ofSeconds(30),
                0,
                Duration.ofSeconds(1),
                targets(1),
                Map.of(),
                List.of(),
                block);
        List<SeriesState> states = fireAll(check);
        await().atMost(Duration.ofSeconds(30)).until(() -> states.get(0).runs(Outcome.OK) == 1);
        StringWriter exposition = new StringWriter();
        TextFormat.write004(exposition, registry.metricFamilySamples());
        List<String> depth = exposition
                .toString()
                .lines()
                .filter(line -> line.startsWith("patrol_sample_queues_depth{"))
                .toList();
        assertThat(depth).hasSize(300).anySatisfy(line -> assertThat(line)
                .contains("check=\"queues\"", "queue=\"q299\"")
                .endsWith(" 2990.0"));
        Promtool.Report report = Promtool.require().checkMetrics(exposition.toString());
        assertThat(report.parsed()).as(report.output()).isTrue();
        assertThat(report.findings()).as(report.output()).isEmpty();
    }

    /** A check block of the http plugin with its defaults behind it, as the agent builds it. */
    private static Config block(String hocon) {
        return PluginTestSupport.block(hocon, PluginTestSupport.pluginDefaults(HttpPlugin.class, "http"));
    }

    /** A JSON body listing {@code count} queues, for samples-from. */
    private static String queues(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> "{\"name\": \"q%03d\", \"messages\": %d, \"consumers\": %d}".formatted(i, i * 10, i % 3))
                .collect(Collectors.joining(", ", "{\"queues\": [", "]}"));
    }
}
