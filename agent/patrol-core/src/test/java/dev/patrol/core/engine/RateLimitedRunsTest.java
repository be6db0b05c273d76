package dev.patrol.core.engine;

import static dev.patrol.core.engine.EngineFixtures.LIMITS;
import static dev.patrol.core.engine.EngineFixtures.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
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
import dev.patrol.core.state.SkipReason;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateLimitedRunsTest {
    private final ResultStore store = new ResultStore();
    private final CheckEngine engine =
            new CheckEngine(LIMITS, null, null, store, new AgentMetrics(() -> 0), Clock.systemUTC());
    private final CollectorRegistry registry = new CollectorRegistry();
    private final Queue<Long> startedNanos = new ConcurrentLinkedQueue<>();
    private final CheckDefinition counting = (t, c) -> {
        startedNanos.add(System.nanoTime());
        return CompletableFuture.completedFuture(CheckResult.ok("fine"));
    };

    RateLimitedRunsTest() {
        engine.rateLimitMetrics().register(registry);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void runsBeyondTheLimitWaitOnATimerAndAllRunSpacedByTheRate() {
        engine.updateRateLimits(Map.of("api", limit("10/s", 1, Duration.ofSeconds(20))));
        Target[] targets = {target("a"), target("b"), target("c")};
        CheckSettings check = check(Duration.ofSeconds(60), targets);
        List<SeriesState> states =
                List.of(register(check, targets[0]), register(check, targets[1]), register(check, targets[2]));
        long firedAt = System.nanoTime();
        for (Target target : targets) {
            engine.fire(check, target);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> states.stream().allMatch(state -> state.runs(Outcome.OK) == 1));
        List<Long> starts = startedNanos.stream().sorted().toList();
        assertThat(starts.get(2) - firedAt)
                .as("three requests at 10/s with a burst of 1 take at least 200 ms")
                .isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
        assertThat(states).allSatisfy(state -> assertThat(state.skips(SkipReason.RATE_LIMIT))
                .isZero());
        assertThat(registry.getSampleValue(
                        "patrol_rate_limit_waits_total", new String[] {"limit"}, new String[] {"api"}))
                .isEqualTo(2.0);
        assertThat(registry.getSampleValue(
                        "patrol_rate_limit_wait_seconds_count", new String[] {"limit"}, new String[] {"api"}))
                .isEqualTo(3.0);
    }

    @Test
    void aRunThatWouldWaitPastMaxWaitIsSkippedNotFailed() {
        engine.updateRateLimits(Map.of("api", limit("1/h", 1, Duration.ofSeconds(5))));
        Target a = target("a");
        CheckSettings check = check(Duration.ofSeconds(60), a);
        SeriesState state = register(check, a);
        engine.fire(check, a);
        await().atMost(Duration.ofSeconds(30)).until(() -> state.runs(Outcome.OK) == 1);
        engine.fire(check, a);
        assertThat(state.skips(SkipReason.RATE_LIMIT)).isEqualTo(1);
        assertThat(state.last().orElseThrow().outcome()).isEqualTo(Outcome.OK);
        assertThat(startedNanos).hasSize(1);
        assertThat(registry.getSampleValue("patrol_rate_limit_tokens", new String[] {"limit"}, new String[] {"api"}))
                .isLessThan(1.0);
    }

    @Test
    void theWaitStaysWithinHalfTheChecksTimeout() {
        engine.updateRateLimits(Map.of("api", limit("1/m", 1, Duration.ofHours(1))));
        Target a = target("a");
        Target b = target("b");
        CheckSettings check = check(Duration.ofSeconds(10), a, b);
        register(check, a);
        SeriesState stateB = register(check, b);
        engine.fire(check, a);
        engine.fire(check, b);
        assertThat(stateB.skips(SkipReason.RATE_LIMIT))
                .as("60 s for the next token is more than half of the 10 s timeout")
                .isEqualTo(1);
    }

    @Test
    void aThrottledRunWithoutALimitIsSkippedAndPausesThatCheckOnThatTarget() {
        CheckDefinition throttled = (t, c) -> {
            startedNanos.add(System.nanoTime());
            c.throttled(Duration.ofMinutes(5), true);
            return CompletableFuture.completedFuture(CheckResult.unknown(dev.patrol.api.Reason.THROTTLED, "HTTP 429"));
        };
        Target a = target("a");
        Target b = target("b");
        CheckSettings check = check(throttled, null, Duration.ofSeconds(10), a, b);
        SeriesState stateA = register(check, a);
        SeriesState stateB = register(check, b);
        engine.fire(check, a);
        await().atMost(Duration.ofSeconds(30)).until(() -> stateA.skips(SkipReason.RATE_LIMIT) == 1);
        engine.fire(check, a);
        assertThat(stateA.skips(SkipReason.RATE_LIMIT)).as("paused").isEqualTo(2);
        assertThat(stateA.last()).as("never recorded as a result").isEmpty();
        engine.fire(check, b);
        await().atMost(Duration.ofSeconds(30)).until(() -> stateB.skips(SkipReason.RATE_LIMIT) == 1);
        assertThat(startedNanos).as("b is not paused by a's Retry-After").hasSize(2);
        assertThat(registry.getSampleValue(
                        "patrol_http_throttled_total", new String[] {"check", "target"}, new String[] {"limited", "a"}))
                .isEqualTo(1.0);
    }

    @Test
    void aRetryAfterPausesTheWholeLimitAndLaterRunsWaitItOut() {
        engine.updateRateLimits(Map.of("api", limit("100/s", 100, Duration.ofSeconds(20))));
        AtomicInteger calls = new AtomicInteger();
        CheckDefinition firstThrottled = (t, c) -> {
            startedNanos.add(System.nanoTime());
            if (calls.getAndIncrement() == 0) {
                c.throttled(Duration.ofSeconds(2), false);
                return CompletableFuture.completedFuture(
                        CheckResult.unknown(dev.patrol.api.Reason.THROTTLED, "HTTP 429"));
            }
            return CompletableFuture.completedFuture(CheckResult.ok("fine"));
        };
        Target a = target("a");
        Target b = target("b");
        CheckSettings check = check(firstThrottled, "api", Duration.ofSeconds(60), a, b);
        SeriesState stateA = register(check, a);
        SeriesState stateB = register(check, b);
        engine.fire(check, a);
        await().atMost(Duration.ofSeconds(30)).until(() -> stateA.runs(Outcome.UNKNOWN) == 1);
        long pausedAt = System.nanoTime();
        engine.fire(check, b);
        await().atMost(Duration.ofSeconds(30)).until(() -> stateB.runs(Outcome.OK) == 1);
        List<Long> starts = startedNanos.stream().sorted().toList();
        assertThat(starts.get(1) - starts.get(0))
                .as("b's request waited for the 2 s Retry-After given to a's")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1990).toNanos());
        assertThat(starts.get(1)).isGreaterThan(pausedAt);
        assertThat(stateA.runs(Outcome.UNKNOWN))
                .as("on-throttled = unknown: recorded, not retried")
                .isEqualTo(1);
    }

    @Test
    void noRequestsLeftBeforeTheResetPauseTheLimitWithoutA429() {
        engine.updateRateLimits(Map.of("api", limit("100/s", 100, Duration.ofSeconds(20))));
        AtomicInteger calls = new AtomicInteger();
        CheckDefinition counted = (t, c) -> {
            startedNanos.add(System.nanoTime());
            if (calls.getAndIncrement() == 0) {
                c.rateLimitRemaining(0, Duration.ofSeconds(2)); // X-RateLimit-Remaining: 0, reset in 2 s
            }
            return CompletableFuture.completedFuture(CheckResult.ok("fine"));
        };
        Target a = target("a");
        Target b = target("b");
        CheckSettings check = check(counted, "api", Duration.ofSeconds(60), a, b);
        SeriesState stateA = register(check, a);
        SeriesState stateB = register(check, b);
        engine.fire(check, a);
        await().atMost(Duration.ofSeconds(30)).until(() -> stateA.runs(Outcome.OK) == 1);
        engine.fire(check, b);
        await().atMost(Duration.ofSeconds(30)).until(() -> stateB.runs(Outcome.OK) == 1);
        List<Long> starts = startedNanos.stream().sorted().toList();
        assertThat(starts.get(1) - starts.get(0))
                .as("b waited for the reset a's answer announced, although the limit had 99 tokens")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1990).toNanos());
        assertThat(registry.getSampleValue(
                        "patrol_http_throttled_total", new String[] {"check", "target"}, new String[] {"limited", "a"}))
                .as("slowed down before the API said no")
                .isNull();
    }

    @Test
    void aThrottledAnswerAfterAReloadRemovedThePairLeavesNoSeries() {
        CompletableFuture<CheckResult> answer = new CompletableFuture<>();
        CheckDefinition late = (t, c) -> answer.thenApply(result -> {
            c.throttled(Duration.ZERO, true);
            return result;
        });
        Target a = target("a");
        CheckSettings check = check(late, null, Duration.ofSeconds(60), a);
        register(check, a);
        engine.fire(check, a);
        store.retainOnly(java.util.Set.of()); // the reload took the check away while its request was in flight
        answer.complete(CheckResult.unknown(dev.patrol.api.Reason.THROTTLED, "HTTP 429"));
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.inFlight() == 0);
        assertThat(registry.getSampleValue(
                        "patrol_http_throttled_total", new String[] {"check", "target"}, new String[] {"limited", "a"}))
                .isNull();
    }

    private static RateLimitSettings limit(String rate, int burst, Duration maxWait) {
        return new RateLimitSettings(
                "api", Rate.parse(rate).orElseThrow(), burst, maxWait, RateLimitSettings.Per.LIMIT);
    }

    private CheckSettings check(Duration timeout, Target... targets) {
        return check(counting, "api", timeout, targets);
    }

    private static CheckSettings check(CheckDefinition definition, String limit, Duration timeout, Target... targets) {
        return new CheckSettings(
                "limited",
                "test",
                definition,
                Duration.ofSeconds(30),
                null,
                timeout,
                0,
                Duration.ofMillis(10),
                List.of(targets),
                Map.of(),
                List.of(),
                ConfigFactory.parseMap(limit == null ? Map.of() : Map.of("rate-limit", limit)));
    }

    private SeriesState register(CheckSettings check, Target target) {
        return store.register(
                new SeriesKey(check.name(), target.name()), "test", Map.of(), check.interval(), check.timeout());
    }
}
