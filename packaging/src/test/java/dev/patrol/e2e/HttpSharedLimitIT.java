package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.config.LimitsSettings;
import dev.patrol.core.config.SeriesDefinition;
import dev.patrol.core.engine.CheckEngine;
import dev.patrol.core.metrics.AgentMetrics;
import dev.patrol.core.metrics.CheckCollector;
import dev.patrol.core.ratelimit.Rate;
import dev.patrol.core.ratelimit.RateLimitSettings;
import dev.patrol.core.schedule.CheckScheduler;
import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.RunRecord;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.state.SeriesState;
import dev.patrol.core.state.SkipReason;
import dev.patrol.plugin.http.HttpPlugin;
import dev.patrol.testing.Closing;
import dev.patrol.testing.NginxServer;
import dev.patrol.transport.http.HttpClientPool;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sixty checks on the real scheduler against a real nginx whose {@code limit_req} allows 10 r/s (429 past it; a burst
 * of 10 absorbs a second of stalled timers on a busy machine, never sixty requests at once). The checks fire together, on a cron every 10 s, the worst
 * case for an API: with a shared 10/s limit they queue for tokens and nginx refuses none; without it, nginx refuses
 * most of each round. Then what servers say back: Retry-After: 5, and X-RateLimit-Remaining: 0 before any 429.
 */
class HttpSharedLimitIT {
    private static final int CHECKS = 60;
    private static final int ROUNDS = 6;
    private static final String EVERY_TEN_SECONDS = "0/10 * * * * ?";

    @TempDir
    static Path dir;

    private static NginxServer nginx;
    private static HttpClientPool pool;

    private final ResultStore store = new ResultStore();
    private final CollectorRegistry registry = new CollectorRegistry();
    private final AgentMetrics metrics = new AgentMetrics(() -> 0);
    private CheckEngine engine;
    private CheckScheduler scheduler;

    @BeforeAll
    static void startNginx() {
        nginx = NginxServer.create(dir.resolve("nginx"))
                .httpDirective("limit_req_zone $binary_remote_addr zone=api:1m rate=10r/s;")
                .file("api/with-limit.json", "{\"ok\": true}\n")
                .file("api/without-limit.json", "{\"ok\": true}\n")
                .location("/api/", "limit_req zone=api burst=10 nodelay; limit_req_status 429;")
                .location("= /busy", "add_header Retry-After 5 always; return 429;")
                .location(
                        "= /spent",
                        "add_header X-RateLimit-Remaining 0 always; add_header X-RateLimit-Reset 4 always;"
                                + " return 200 '{}';")
                .location(
                        "= /refused",
                        "add_header X-RateLimit-Remaining 0 always; add_header X-RateLimit-Reset 3 always;"
                                + " return 403;")
                .start();
        pool = new HttpClientPool();
    }

    @AfterAll
    static void stopNginx() throws Exception {
        Closing.closeAll(pool, nginx);
    }

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        engine.close();
    }

    private void startEngine(RateLimitSettings limit) {
        engine =
                new CheckEngine(new LimitsSettings(1000, 1000, 1000, 2), pool, null, store, metrics, Clock.systemUTC());
        engine.updateRateLimits(limit == null ? Map.of() : Map.of(limit.name(), limit));
        metrics.register(registry);
        engine.rateLimitMetrics().register(registry);
        registry.register(new CheckCollector(store, metrics, CheckCollector.namesIn(registry)));
    }

    private static RateLimitSettings limit(String rate, int burst) {
        return new RateLimitSettings(
                "api", Rate.parse(rate).orElseThrow(), burst, Duration.ofSeconds(30), RateLimitSettings.Per.LIMIT);
    }

    private static CheckSettings check(String name, String path, boolean limited, String cron) {
        String hocon = "url = \"" + nginx.url(path) + "\"\n" + (limited ? "rate-limit = api" : "");
        Config block = block(hocon).withFallback(ConfigFactory.parseString("timeout = 20s"));
        return new CheckSettings(
                name,
                "http",
                new HttpPlugin().parse(block),
                Duration.ofSeconds(10),
                cron,
                Duration.ofSeconds(20),
                0,
                Duration.ofSeconds(1),
                List.of(Target.of("nginx", "127.0.0.1", nginx.port())),
                Map.of(),
                List.of(),
                block);
    }

    private SeriesState register(CheckSettings check) {
        return store.register(
                new SeriesKey(check.name(), "nginx"), "http", Map.of(), check.interval(), check.timeout());
    }

    /** Sixty checks on one cron, so that every round they all fire at once; started on the real scheduler. */
    private List<SeriesState> scheduleSixty(String path, boolean limited) {
        Map<String, CheckSettings> checks = new LinkedHashMap<>();
        IntStream.range(0, CHECKS)
                .mapToObj(i -> check("poll-%02d".formatted(i), path, limited, EVERY_TEN_SECONDS))
                .forEach(check -> checks.put(check.name(), check));
        List<SeriesDefinition> series = SeriesDefinition.of(checks.values());
        store.apply(series, key -> java.util.Optional.empty());
        List<SeriesState> states = checks.values().stream()
                .map(check -> store.get(new SeriesKey(check.name(), "nginx")).orElseThrow())
                .toList();
        scheduler = new CheckScheduler(engine, store, metrics, Clock.systemUTC());
        scheduler.apply(series);
        scheduler.start();
        return states;
    }

    private static long refusedByNginx(String path) throws IOException {
        try (var lines = Files.lines(nginx.prefix().resolve("logs/access.log"))) {
            return lines.filter(line -> line.contains("GET " + path + " ") && line.contains("\" 429 "))
                    .count();
        }
    }

    /** Every patrol_http_throttled_total series summed; 0 when there is none. */
    private double throttledTotal() {
        return Collections.list(registry.metricFamilySamples()).stream()
                .flatMap(family -> family.samples.stream())
                .filter(sample -> sample.name.equals("patrol_http_throttled_total"))
                .mapToDouble(sample -> sample.value)
                .sum();
    }

    @Test
    void sixtyChecksSharingTenPerSecondGetNo429AndKeepTheirCadence() throws IOException {
        startEngine(limit("10/s", 1));
        List<SeriesState> states = scheduleSixty("/api/with-limit.json", true);
        // Six rounds of sixty, a minute of fires at the limit's full 10/s for six of every ten seconds.
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> states.stream().allMatch(state -> finished(state) >= ROUNDS));
        scheduler.close();
        assertThat(states).allSatisfy(state -> {
            assertThat(state.runs(Outcome.OK))
                    .as(state.key() + " " + state.last())
                    .isGreaterThanOrEqualTo(ROUNDS);
            assertThat(finished(state) - state.runs(Outcome.OK))
                    .as(state.key() + " runs not OK")
                    .isZero();
            assertThat(state.skips(SkipReason.RATE_LIMIT))
                    .as(state.key() + " rate_limit skips")
                    .isZero();
            assertThat(state.skips(SkipReason.OVERLAP))
                    .as(state.key() + " overlaps")
                    .isZero();
        });
        assertThat(refusedByNginx("/api/with-limit.json"))
                .as("429s in nginx's access log")
                .isZero();
        assertThat(throttledTotal()).isZero();
        assertThat(registry.getSampleValue(
                        "patrol_rate_limit_waits_total", new String[] {"limit"}, new String[] {"api"}))
                .as("the checks did queue for tokens: 59 of each round of 60 waited")
                .isGreaterThanOrEqualTo((CHECKS - 6.0) * ROUNDS);
    }

    @Test
    void withoutTheLimitTheSameSixtyChecksGet429s() throws IOException {
        startEngine(null);
        List<SeriesState> states = scheduleSixty("/api/without-limit.json", false);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> states.stream()
                                .mapToLong(state -> state.skips(SkipReason.RATE_LIMIT))
                                .sum()
                        > 0);
        scheduler.close();
        assertThat(refusedByNginx("/api/without-limit.json"))
                .as("nginx refused part of sixty requests at once")
                .isPositive();
        assertThat(throttledTotal()).isPositive();
        assertThat(states)
                .as("a 429 is a skip, never the target's failure")
                .allSatisfy(state -> assertThat(state.runs(Outcome.CRITICAL)).isZero());
    }

    @Test
    void aRetryAfterOfFiveSecondsPausesTheLimitForFiveSeconds() {
        startEngine(limit("100/s", 100));
        CheckSettings busy = check("busy", "/busy", true, null);
        SeriesState busyState = register(busy);
        Instant busyFiredAt = Instant.now();
        engine.fire(busy, busy.targets().get(0));
        await().atMost(Duration.ofSeconds(30)).until(() -> busyState.skips(SkipReason.RATE_LIMIT) == 1);
        Instant pausedBy = Instant.now(); // the 429 was answered, and the pause begun, before this
        CheckSettings after = check("after", "/api/with-limit.json", true, null);
        SeriesState afterState = register(after);
        engine.fire(after, after.targets().get(0));
        await().atMost(Duration.ofSeconds(40)).until(() -> afterState.runs(Outcome.OK) == 1);
        RunRecord run = afterState.last().orElseThrow();
        assertThat(Duration.between(busyFiredAt, run.startedAt()))
                .as("the next request of the limit waited out Retry-After: 5")
                .isGreaterThanOrEqualTo(Duration.ofMillis(4990));
        assertThat(Duration.between(pausedBy, run.startedAt()))
                .as("and no longer than the pause with generous room for a busy machine")
                .isLessThan(Duration.ofSeconds(25));
        assertThat(registry.getSampleValue(
                        "patrol_http_throttled_total", new String[] {"check", "target"}, new String[] {"busy", "nginx"
                        }))
                .isEqualTo(1.0);
    }

    @Test
    void noneRemainingPausesTheLimitUntilTheResetBeforeAny429() {
        startEngine(limit("100/s", 100));
        CheckSettings spent = check("spent", "/spent", true, null);
        SeriesState spentState = register(spent);
        Instant spentFiredAt = Instant.now();
        engine.fire(spent, spent.targets().get(0));
        await().atMost(Duration.ofSeconds(30)).until(() -> spentState.runs(Outcome.OK) == 1);
        assertThat(registry.getSampleValue(
                        "patrol_http_rate_limit_remaining",
                        new String[] {"check", "target"},
                        new String[] {"spent", "nginx"}))
                .isEqualTo(0.0);
        CheckSettings after = check("after", "/api/with-limit.json", true, null);
        SeriesState afterState = register(after);
        engine.fire(after, after.targets().get(0));
        await().atMost(Duration.ofSeconds(40)).until(() -> afterState.runs(Outcome.OK) == 1);
        assertThat(Duration.between(
                        spentFiredAt, afterState.last().orElseThrow().startedAt()))
                .as("X-RateLimit-Reset: 4 with none remaining held the limit's next request back")
                .isGreaterThanOrEqualTo(Duration.ofMillis(3990));
        assertThat(throttledTotal()).as("slowed down before the server said no").isZero();
    }

    @Test
    void aForbiddenAnswerWithNoneRemainingIsThrottledNotAFailure() {
        startEngine(limit("100/s", 100));
        CheckSettings refused = check("refused", "/refused", true, null);
        SeriesState state = register(refused);
        engine.fire(refused, refused.targets().get(0));
        await().atMost(Duration.ofSeconds(30)).until(() -> state.skips(SkipReason.RATE_LIMIT) == 1);
        assertThat(state.last()).as("skipped, never recorded as CRITICAL").isEmpty();
        assertThat(registry.getSampleValue(
                        "patrol_http_throttled_total",
                        new String[] {"check", "target"},
                        new String[] {"refused", "nginx"}))
                .isEqualTo(1.0);
    }

    private static long finished(SeriesState state) {
        return state.runs(Outcome.OK)
                + state.runs(Outcome.CRITICAL)
                + state.runs(Outcome.UNKNOWN)
                + state.runs(Outcome.TIMEOUT)
                + state.skips(SkipReason.RATE_LIMIT);
    }

    /** A check block of the http plugin with its defaults behind it, as the agent builds it. */
    private static Config block(String hocon) {
        return dev.patrol.testing.PluginTestSupport.block(
                hocon, dev.patrol.testing.PluginTestSupport.pluginDefaults(HttpPlugin.class, "http"));
    }
}
