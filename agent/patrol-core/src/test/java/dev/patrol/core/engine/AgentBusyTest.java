package dev.patrol.core.engine;

import static dev.patrol.core.engine.EngineFixtures.LIMITS;
import static dev.patrol.core.engine.EngineFixtures.check;
import static dev.patrol.core.engine.EngineFixtures.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the engine tells a run the agent kept waiting from a target that did not answer, through
 * {@code CheckContext.waitingForAgent} (plugins here wait in a queue of their own and never answer), and through the
 * stall meter (the agent itself could not run: here a meter on a clock the test moves).
 */
class AgentBusyTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final ResultStore store = new ResultStore();
    private final CheckEngine engine =
            new CheckEngine(LIMITS, null, null, store, new AgentMetrics(() -> 0), Clock.systemUTC());

    @AfterEach
    void close() {
        engine.close();
    }

    /** Opens a wait for the agent and keeps it open: the run is still queued at its deadline. */
    private static final CheckDefinition QUEUED_FOREVER = (target, context) -> {
        context.waitingForAgent("a test queue");
        return new CompletableFuture<>();
    };

    /** Waits for the agent a moment, then for a target that never answers. */
    private static final CheckDefinition SERVED_THEN_SILENT = (target, context) -> {
        context.waitingForAgent("a test queue").run();
        return new CompletableFuture<>();
    };

    private final AtomicLong stallClock = new AtomicLong();
    private final CheckEngine stallingEngine = new CheckEngine(
            LIMITS, null, null, store, new AgentMetrics(() -> 0), Clock.systemUTC(), new StallMeter(stallClock::get));

    @AfterEach
    void closeStallingEngine() {
        stallingEngine.close();
    }

    private RunRecord run(CheckDefinition definition, int retries) throws Exception {
        return run(engine, definition, retries);
    }

    private static RunRecord run(CheckEngine engine, CheckDefinition definition, int retries) throws Exception {
        Target target = target("web-1");
        return engine.run(check("queued", definition, TIMEOUT, retries, target), target)
                .get(30, TimeUnit.SECONDS);
    }

    /** A plugin during whose run the agent cannot run for {@code stall} (the meter's thread misses its wake-ups). */
    private CheckDefinition stallsThen(Duration stall, CompletableFuture<CheckResult> answer) {
        return (target, context) -> {
            stallClock.addAndGet(stall.toNanos());
            return answer;
        };
    }

    @Test
    void aRunInFlightWhileTheAgentStalledForHalfItsTimeoutIsAgentBusyNotATimeout() throws Exception {
        RunRecord run = run(stallingEngine, stallsThen(Duration.ofMillis(1_500), new CompletableFuture<>()), 2);

        assertThat(run.result().reason()).isEqualTo(Reason.AGENT_BUSY);
        assertThat(run.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(run.attempts()).isEqualTo(1);
        assertThat(run.result().summary())
                .contains("the agent could not run for 1250ms of its 2s")
                .contains("the target is not to blame");
        assertThat(stallingEngine.stalledSeconds()).isEqualTo(1.25);
    }

    @Test
    void aStallShorterThanHalfTheTimeoutLeavesTheTimeoutTheTargets() throws Exception {
        RunRecord run = run(stallingEngine, stallsThen(Duration.ofMillis(800), new CompletableFuture<>()), 0);

        assertThat(run.result().reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(run.outcome()).isEqualTo(Outcome.TIMEOUT);
    }

    /** The run of a plugin that answers {@code answer} at once, after the agent stalled 3 s of its 2 s timeout. */
    private RunRecord answeringAcrossAStall(CheckResult answer) throws Exception {
        return run(stallingEngine, stallsThen(Duration.ofSeconds(3), CompletableFuture.completedFuture(answer)), 0);
    }

    @Test
    void aTimeoutThePluginReportsItselfAcrossAStallIsAgentBusyToo() throws Exception {
        RunRecord run = answeringAcrossAStall(CheckResult.critical(Reason.TIMEOUT, "no answer within 2s"));

        assertThat(run.result().reason()).isEqualTo(Reason.AGENT_BUSY);
    }

    @Test
    void aStallDoesNotTurnAnAnswerIntoAgentBusy() throws Exception {
        RunRecord run = answeringAcrossAStall(CheckResult.critical(Reason.CONNECTION_FAILED, "connection refused"));

        assertThat(run.result().reason()).isEqualTo(Reason.CONNECTION_FAILED);
        assertThat(run.outcome()).isEqualTo(Outcome.CRITICAL);
    }

    @Test
    void aRunStillWaitingForTheAgentAtItsDeadlineIsAgentBusy() throws Exception {
        RunRecord run = run(QUEUED_FOREVER, 0);

        assertThat(run.result().reason()).isEqualTo(Reason.AGENT_BUSY);
        assertThat(run.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(run.result().summary()).contains("still waiting for a test queue");
    }

    @Test
    void aRunTheAgentServedInTimeIsTheTargetsTimeout() throws Exception {
        RunRecord run = run(SERVED_THEN_SILENT, 0);

        assertThat(run.result().reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(run.outcome()).isEqualTo(Outcome.TIMEOUT);
    }

    @Test
    void agentBusyIsNotRetried() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CheckDefinition counting = (target, context) -> {
            attempts.incrementAndGet();
            return QUEUED_FOREVER.run(target, context);
        };

        RunRecord run = run(counting, 3);

        assertThat(run.attempts()).isEqualTo(1);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aScheduledAgentBusyRunIsASkipNotAResult() {
        Target target = target("web-1");
        CheckSettings check = check("queued", QUEUED_FOREVER, TIMEOUT, 0, target);
        SeriesState state = store.register(
                new SeriesKey(check.name(), target.name()), "test", Map.of(), check.interval(), check.timeout());
        AtomicInteger observed = new AtomicInteger();
        engine.observe((c, t, r) -> observed.incrementAndGet());

        engine.fire(check, target);

        await().atMost(Duration.ofSeconds(30)).until(() -> state.skips(SkipReason.AGENT_BUSY) == 1);
        assertThat(state.last()).isEmpty();
        assertThat(observed).hasValue(0);
    }

    @Test
    void aPluginThatGivesUpWithAgentBusyIsASkipToo() {
        Target target = target("web-1");
        CheckDefinition givesUp = (t, context) ->
                CompletableFuture.completedFuture(CheckResult.critical(Reason.AGENT_BUSY, "queue of its own was full"));
        CheckSettings check = check("gives-up", givesUp, TIMEOUT, 0, target);
        SeriesState state = store.register(
                new SeriesKey(check.name(), target.name()), "test", Map.of(), check.interval(), check.timeout());

        engine.fire(check, target);

        await().atMost(Duration.ofSeconds(30)).until(() -> state.skips(SkipReason.AGENT_BUSY) == 1);
        assertThat(state.last()).isEmpty();
    }
}
