package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Sample;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.config.LimitsSettings;
import dev.patrol.core.engine.CheckEngine;
import dev.patrol.core.metrics.AgentMetrics;
import dev.patrol.core.ratelimit.Rate;
import dev.patrol.core.ratelimit.RateLimitSettings;
import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.state.SeriesState;
import dev.patrol.plugin.http.HttpPlugin;
import dev.patrol.testing.Closing;
import dev.patrol.testing.NginxServer;
import dev.patrol.transport.http.HttpClientPool;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** samples-from over a paginated answer: nginx serves three pages of 100 queues, each linking to the next. */
class HttpPaginationIT {
    @TempDir
    static Path dir;

    private static NginxServer nginx;
    private static HttpClientPool pool;

    @BeforeAll
    static void startNginx() {
        nginx = NginxServer.create(dir.resolve("nginx"))
                .file("pages/1.json", page(1))
                .file("pages/2.json", page(2))
                .file("pages/3.json", page(3))
                .location("= /pages/1.json", "add_header Link '</pages/2.json>; rel=\"next\"';")
                .location(
                        "= /pages/2.json",
                        "add_header Link '</pages/1.json>; rel=\"prev\", </pages/3.json>; rel=\"next\"';")
                .file("broken/1.json", page(1))
                .location("= /broken/1.json", "add_header Link '</broken/2.json>; rel=\"next\"';")
                .start();
        pool = new HttpClientPool();
    }

    @AfterAll
    static void stop() throws Exception {
        Closing.closeAll(pool, nginx);
    }

    /** 100 queues named p{page}-q{i}. */
    private static String page(int number) {
        return IntStream.range(0, 100)
                .mapToObj(i -> "{\"name\": \"p%d-q%02d\", \"messages\": %d}".formatted(number, i, number * 1000 + i))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String hocon(String path, int maxPages) {
        return """
                url = "%s"
                samples-from.queues { path = "$[*]", labels { queue = "name" }, values { depth = "messages" } }
                max-series = 1000
                max-pages = %d
                """
                .formatted(nginx.url(path), maxPages);
    }

    private static List<Sample> depths(CheckResult result) {
        return result.samples().stream()
                .filter(sample -> sample.name().equals("patrol_sample_queues_depth"))
                .toList();
    }

    @Test
    void everyPageUpToMaxPagesBecomesSeries() throws Exception {
        CheckResult all = run(hocon("/pages/1.json", 5));
        assertThat(all.status()).as(all.summary()).isEqualTo(Status.OK);
        assertThat(all.summary()).contains("[3 pages]");
        assertThat(depths(all)).hasSize(300).anySatisfy(sample -> {
            assertThat(sample.labels()).containsEntry("queue", "p3-q99");
            assertThat(sample.value()).isEqualTo(3099.0);
        });

        CheckResult two = run(hocon("/pages/1.json", 2));
        assertThat(two.status()).isEqualTo(Status.OK);
        assertThat(depths(two)).hasSize(200).noneSatisfy(sample -> assertThat(sample.labels())
                .containsEntry("queue", "p3-q00"));

        CheckResult one = run(hocon("/pages/1.json", 1));
        assertThat(depths(one)).as("max-pages = 1, the default, reads one page").hasSize(100);
    }

    @Test
    void aPageThatFailsKeepsTheSeriesReadAndWarns() throws Exception {
        CheckResult result = run(hocon("/broken/1.json", 5));
        assertThat(result.status()).isEqualTo(Status.WARNING);
        assertThat(result.reason()).isEqualTo(Reason.PARSE_FAILED);
        assertThat(result.summary()).contains("samples-from read 1 pages, then page 2: HTTP 404");
        assertThat(depths(result)).hasSize(100);
    }

    @Test
    void eachFurtherPageTakesATokenOfTheChecksLimit() {
        ResultStore store = new ResultStore();
        CollectorRegistry registry = new CollectorRegistry();
        try (CheckEngine engine = new CheckEngine(
                new LimitsSettings(100, 100, 100, 2),
                pool,
                null,
                store,
                new AgentMetrics(() -> 0),
                Clock.systemUTC())) {
            engine.updateRateLimits(Map.of(
                    "api",
                    new RateLimitSettings(
                            "api",
                            Rate.parse("5/s").orElseThrow(),
                            1,
                            Duration.ofSeconds(10),
                            RateLimitSettings.Per.LIMIT)));
            engine.rateLimitMetrics().register(registry);
            Config block = block(hocon("/pages/1.json", 5) + "rate-limit = api\n");
            Target target = Target.of("nginx", "127.0.0.1", nginx.port());
            CheckSettings check = new CheckSettings(
                    "paged",
                    "http",
                    new HttpPlugin().parse(block),
                    Duration.ofSeconds(30),
                    null,
                    Duration.ofSeconds(20),
                    0,
                    Duration.ofSeconds(1),
                    List.of(target),
                    Map.of(),
                    List.of(),
                    block);
            SeriesState state = store.register(
                    new SeriesKey("paged", "nginx"), "http", Map.of(), check.interval(), check.timeout());
            engine.fire(check, target);
            await().atMost(Duration.ofSeconds(30)).until(() -> state.runs(Outcome.OK) == 1);
            assertThat(state.last().orElseThrow().result().summary()).contains("[3 pages]");
            assertThat(registry.getSampleValue(
                            "patrol_rate_limit_wait_seconds_count", new String[] {"limit"}, new String[] {"api"}))
                    .as("one token for the run's first request, one for each further page")
                    .isEqualTo(3.0);
        }
    }

    /** A check block of the http plugin with its defaults behind it, as the agent builds it. */
    private static Config block(String hocon) {
        return dev.patrol.testing.PluginTestSupport.block(
                hocon, dev.patrol.testing.PluginTestSupport.pluginDefaults(HttpPlugin.class, "http"));
    }

    /** Runs the http check {@code hocon} once, with a 10 s deadline, and waits for its result. */
    private static CheckResult run(String hocon) throws Exception {
        dev.patrol.api.CheckDefinition check = new HttpPlugin().parse(block(hocon));
        dev.patrol.testing.TestCheckContext context = dev.patrol.testing.TestCheckContext.builder()
                .timeout(Duration.ofSeconds(10))
                .http(pool::get)
                .build();
        return check.run(Target.of("t", "127.0.0.1", 80), context)
                .toCompletableFuture()
                .get(40, java.util.concurrent.TimeUnit.SECONDS);
    }
}
