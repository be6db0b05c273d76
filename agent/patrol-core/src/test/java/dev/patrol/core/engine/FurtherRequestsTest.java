package dev.patrol.core.engine;

import static dev.patrol.core.engine.EngineFixtures.LIMITS;
import static dev.patrol.core.engine.EngineFixtures.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import dev.patrol.api.CheckContext;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckResult;
import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.metrics.AgentMetrics;
import dev.patrol.core.ratelimit.Rate;
import dev.patrol.core.ratelimit.RateLimitSettings;
import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.state.SeriesState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code CheckContext.nextRequest}: the further requests of one run (pages) take tokens of the check's limit too. */
class FurtherRequestsTest {
    private final ResultStore store = new ResultStore();
    private final CheckEngine engine =
            new CheckEngine(LIMITS, null, null, store, new AgentMetrics(() -> 0), Clock.systemUTC());
    private final Queue<Long> sentNanos = new ConcurrentLinkedQueue<>();
    private final Queue<Boolean> grants = new ConcurrentLinkedQueue<>();

    /** A run of three requests: the first, then two more as far as the limit grants them. */
    private final CheckDefinition threePages = (target, context) -> {
        sentNanos.add(System.nanoTime());
        return next(context, 2).thenApply(pages -> CheckResult.ok(pages + " pages"));
    };

    private CompletionStage<Integer> next(CheckContext context, int left) {
        if (left == 0) {
            return CompletableFuture.completedFuture(3);
        }
        return context.nextRequest().thenCompose(granted -> {
            grants.add(granted);
            if (!granted) {
                return CompletableFuture.completedFuture(3 - left);
            }
            sentNanos.add(System.nanoTime());
            return next(context, left - 1);
        });
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void furtherRequestsWaitForTokensAtTheLimitsRate() {
        engine.updateRateLimits(Map.of("api", limit("10/s", Duration.ofSeconds(20))));
        Target a = target("a");
        CheckSettings check = check(a);
        SeriesState state = register(check, a);
        long firedAt = System.nanoTime();
        engine.fire(check, a);
        await().atMost(Duration.ofSeconds(30)).until(() -> state.runs(Outcome.OK) == 1);
        assertThat(grants).containsExactly(true, true);
        assertThat(state.last().orElseThrow().result().summary()).isEqualTo("3 pages");
        List<Long> sent = sentNanos.stream().sorted().toList();
        assertThat(sent.get(2) - firedAt)
                .as("three requests at 10/s with a burst of 1 take at least 200 ms")
                .isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
    }

    @Test
    void noTokenWithinHalfTheTimeLeftMeansNoFurtherRequest() {
        engine.updateRateLimits(Map.of("api", limit("1/h", Duration.ofSeconds(20))));
        Target a = target("a");
        CheckSettings check = check(a);
        SeriesState state = register(check, a);
        engine.fire(check, a);
        await().atMost(Duration.ofSeconds(30)).until(() -> state.runs(Outcome.OK) == 1);
        assertThat(grants).containsExactly(false);
        assertThat(sentNanos).hasSize(1);
        assertThat(state.last().orElseThrow().result().summary()).isEqualTo("1 pages");
    }

    private static RateLimitSettings limit(String rate, Duration maxWait) {
        return new RateLimitSettings("api", Rate.parse(rate).orElseThrow(), 1, maxWait, RateLimitSettings.Per.LIMIT);
    }

    private CheckSettings check(Target... targets) {
        return new CheckSettings(
                "paged",
                "test",
                threePages,
                Duration.ofSeconds(30),
                null,
                Duration.ofSeconds(10),
                0,
                Duration.ofMillis(10),
                List.of(targets),
                Map.of(),
                List.of(),
                ConfigFactory.parseMap(Map.of("rate-limit", "api")));
    }

    private SeriesState register(CheckSettings check, Target target) {
        return store.register(
                new SeriesKey(check.name(), target.name()), "test", Map.of(), check.interval(), check.timeout());
    }
}
