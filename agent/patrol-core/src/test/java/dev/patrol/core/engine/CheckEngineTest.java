package dev.patrol.core.engine;

import static dev.patrol.core.engine.EngineFixtures.LIMITS;
import static dev.patrol.core.engine.EngineFixtures.check;
import static dev.patrol.core.engine.EngineFixtures.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.config.LimitsSettings;
import dev.patrol.core.metrics.AgentMetrics;
import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.RunRecord;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.state.SeriesState;
import dev.patrol.core.state.SkipReason;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CheckEngineTest {
    private final ResultStore store = new ResultStore();
    private final AgentMetrics metrics = new AgentMetrics(() -> 0);
    private CheckEngine engine = new CheckEngine(LIMITS, null, null, store, metrics, Clock.systemUTC());

    @AfterEach
    void close() {
        engine.close();
    }

    private RunRecord runNow(CheckSettings check) throws Exception {
        return engine.run(check, check.targets().get(0)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void resultOfThePluginIsTheRunsResult() throws Exception {
        RunRecord run = runNow(check(
                "ok",
                (t, c) -> CompletableFuture.completedFuture(CheckResult.ok("fine")),
                Duration.ofSeconds(1),
                0,
                target("a")));
        assertThat(run.outcome()).isEqualTo(Outcome.OK);
        assertThat(run.result().summary()).isEqualTo("fine");
        assertThat(run.attempts()).isEqualTo(1);
    }

    @Test
    void thrownExceptionBecomesUnknownWithPluginError() throws Exception {
        RunRecord run = runNow(check(
                "boom",
                (t, c) -> {
                    throw new IllegalStateException("bug");
                },
                Duration.ofSeconds(1),
                0,
                target("a")));
        assertThat(run.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(run.result().status()).isEqualTo(Status.UNKNOWN);
        assertThat(run.result().reason()).isEqualTo(Reason.PLUGIN_ERROR);
        assertThat(run.result().summary()).contains("bug");
    }

    @Test
    void failedStageAndNullStageBecomeUnknown() throws Exception {
        RunRecord failed = runNow(check(
                "failed",
                (t, c) -> CompletableFuture.failedFuture(new RuntimeException("async bug")),
                Duration.ofSeconds(1),
                0,
                target("a")));
        RunRecord nothing = runNow(check("null", (t, c) -> null, Duration.ofSeconds(1), 0, target("a")));
        assertThat(failed.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(nothing.outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void runThatNeverCompletesEndsAtItsDeadlineAndIsCancelled() throws Exception {
        CompletableFuture<Void> cancelSeen = new CompletableFuture<>();
        CompletableFuture<CheckResult> pluginFuture = new CompletableFuture<>();
        RunRecord run = runNow(check(
                "hang",
                (t, c) -> {
                    c.cancelled().thenRun(() -> cancelSeen.complete(null));
                    return pluginFuture;
                },
                Duration.ofMillis(200),
                0,
                target("a")));
        assertThat(run.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(run.result().status()).isEqualTo(Status.CRITICAL);
        assertThat(run.result().reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(cancelSeen).isDone();
        assertThat(pluginFuture).isCancelled();
    }

    @Test
    void pluginReportedTimeoutCountsAsTimeout() throws Exception {
        RunRecord run = runNow(check(
                "t",
                (t, c) -> CompletableFuture.completedFuture(CheckResult.critical(Reason.TIMEOUT, "read timed out")),
                Duration.ofSeconds(1),
                0,
                target("a")));
        assertThat(run.outcome()).isEqualTo(Outcome.TIMEOUT);
    }

    @Test
    void retriesUntilSuccessWithinOneRun() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RunRecord run = runNow(check(
                "flaky",
                (t, c) -> CompletableFuture.completedFuture(
                        calls.incrementAndGet() < 3
                                ? CheckResult.critical(Reason.CONNECTION_REFUSED, "refused")
                                : CheckResult.ok("up")),
                Duration.ofSeconds(1),
                3,
                target("a")));
        assertThat(run.outcome()).isEqualTo(Outcome.OK);
        assertThat(run.attempts()).isEqualTo(3);
    }

    @Test
    void retriesStopAfterTheConfiguredCount() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RunRecord run = runNow(check(
                "down",
                (t, c) -> {
                    calls.incrementAndGet();
                    return CompletableFuture.completedFuture(CheckResult.critical(Reason.CONNECTION_REFUSED, "no"));
                },
                Duration.ofSeconds(1),
                2,
                target("a")));
        assertThat(run.outcome()).isEqualTo(Outcome.CRITICAL);
        assertThat(run.attempts()).isEqualTo(3);
        assertThat(calls).hasValue(3);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Reason.class,
            names = {"AUTH_FAILED", "HOST_KEY_MISMATCH", "HOST_KEY_UNKNOWN"})
    void failuresThatCannotSucceedWithinARunAreNotRetried(Reason reason) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RunRecord run = runNow(check(
                "login",
                (t, c) -> {
                    calls.incrementAndGet();
                    return CompletableFuture.completedFuture(CheckResult.critical(reason, "refused"));
                },
                Duration.ofSeconds(1),
                3,
                target("a")));
        assertThat(run.result().reason()).isEqualTo(reason);
        assertThat(run.attempts()).isEqualTo(1);
        assertThat(calls).hasValue(1);
    }

    @Test
    void backoffDoublesAndIsCapped() {
        Duration base = Duration.ofSeconds(1);
        assertThat(CheckEngine.backoff(base, 1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(CheckEngine.backoff(base, 2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(CheckEngine.backoff(base, 4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(CheckEngine.backoff(base, 30)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void overlappingFireIsSkippedAndCounted() {
        CompletableFuture<CheckResult> gate = new CompletableFuture<>();
        Target a = target("a");
        CheckSettings check = check("slow", (t, c) -> gate, Duration.ofSeconds(10), 0, a);
        SeriesState state = register(check, a);
        engine.fire(check, a);
        engine.fire(check, a);
        assertThat(state.skips(SkipReason.OVERLAP)).isEqualTo(1);
        gate.complete(CheckResult.ok("done"));
        await().atMost(Duration.ofSeconds(5)).until(() -> state.runs(Outcome.OK) == 1);
        engine.fire(check, a);
        await().atMost(Duration.ofSeconds(5)).until(() -> state.runs(Outcome.OK) == 2);
    }

    @Test
    void fullLimitSkipsInsteadOfQueueing() {
        engine.close();
        engine = new CheckEngine(new LimitsSettings(1000, 100, 1, 2), null, null, store, metrics, Clock.systemUTC());
        CompletableFuture<CheckResult> gate = new CompletableFuture<>();
        Target a = target("a");
        Target b = target("b");
        CheckSettings check = check("limited", (t, c) -> gate, Duration.ofSeconds(10), 0, a, b);
        register(check, a);
        SeriesState stateB = register(check, b);
        engine.fire(check, a);
        engine.fire(check, b);
        assertThat(stateB.skips(SkipReason.LIMIT)).isEqualTo(1);
        assertThat(engine.inFlight()).isEqualTo(1);
        gate.complete(CheckResult.ok("done"));
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.inFlight() == 0);
    }

    @Test
    void fireOfAnUnregisteredPairDoesNothing() {
        Target a = target("a");
        CheckSettings check = check(
                "gone",
                (t, c) -> {
                    throw new AssertionError("must not run");
                },
                Duration.ofSeconds(1),
                0,
                a);
        engine.fire(check, a);
        assertThat(engine.inFlight()).isZero();
    }

    private SeriesState register(CheckSettings check, Target target) {
        return store.register(
                new SeriesKey(check.name(), target.name()), "test", Map.of(), check.interval(), check.timeout());
    }
}
