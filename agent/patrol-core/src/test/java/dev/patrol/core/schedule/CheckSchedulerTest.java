package dev.patrol.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.config.LimitsSettings;
import dev.patrol.core.config.SeriesDefinition;
import dev.patrol.core.engine.CheckEngine;
import dev.patrol.core.metrics.AgentMetrics;
import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.state.SeriesState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CheckSchedulerTest {
    private final ResultStore store = new ResultStore();
    private final AgentMetrics metrics = new AgentMetrics(() -> 0);
    private final CheckEngine engine =
            new CheckEngine(new LimitsSettings(100, 100, 100, 1), null, null, store, metrics, Clock.systemUTC());
    private final CheckScheduler scheduler = new CheckScheduler(engine, store, metrics, Clock.systemUTC());

    @AfterEach
    void close() {
        scheduler.close();
        engine.close();
    }

    private static final CheckDefinition OK = (t, c) -> CompletableFuture.completedFuture(CheckResult.ok("ok"));
    private static final CheckDefinition DOWN =
            (t, c) -> CompletableFuture.completedFuture(CheckResult.critical(Reason.CHECK_FAILED, "down"));

    private static CheckSettings check(
            String name, Duration interval, String marker, CheckDefinition definition, Target... targets) {
        return new CheckSettings(
                name,
                "test",
                definition,
                interval,
                null,
                Duration.ofSeconds(1),
                0,
                Duration.ofSeconds(1),
                List.of(targets),
                Map.of(),
                List.of(),
                ConfigFactory.parseMap(Map.of("interval", interval.toString(), "marker", marker)));
    }

    private static CheckSettings check(String name, Duration interval, String marker, Target... targets) {
        return check(name, interval, marker, OK, targets);
    }

    /** What the agent does on a reload: the store first, then the schedule, from the same definitions. */
    private CheckScheduler.ScheduleChange reload(CheckSettings... checks) {
        List<SeriesDefinition> series = SeriesDefinition.of(List.of(checks));
        store.apply(series, key -> Optional.empty());
        return scheduler.apply(series);
    }

    private SeriesState state(String check, String target) {
        return store.get(new SeriesKey(check, target)).orElseThrow();
    }

    @Test
    void firesEveryPairAtItsInterval() {
        Target a = Target.of("a", "127.0.0.1", 80);
        Target b = Target.of("b", "127.0.0.2", 80);
        reload(check("fast", Duration.ofMillis(200), "1", a, b));
        scheduler.start();
        SeriesState stateA = state("fast", "a");
        SeriesState stateB = state("fast", "b");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> stateA.runs(Outcome.OK) >= 3 && stateB.runs(Outcome.OK) >= 3);
    }

    @Test
    void reloadKeepsUnchangedSeriesAndReplacesChangedOnes() {
        Target a = Target.of("a", "127.0.0.1", 80);
        Target b = Target.of("b", "127.0.0.1", 80);
        Duration interval = Duration.ofSeconds(30);
        assertThat(reload(check("c", interval, "1", a, b))).isEqualTo(new CheckScheduler.ScheduleChange(0, 2, 0));
        assertThat(reload(check("c", interval, "1", a, b))).isEqualTo(new CheckScheduler.ScheduleChange(2, 0, 0));
        // Another command, the same series: the triggers stay, and the fires run the new definition.
        assertThat(reload(check("c", interval, "2", a, b))).isEqualTo(new CheckScheduler.ScheduleChange(2, 0, 0));
        assertThat(reload(check("c", Duration.ofSeconds(60), "2", a)))
                .isEqualTo(new CheckScheduler.ScheduleChange(0, 1, 1));
        assertThat(reload()).isEqualTo(new CheckScheduler.ScheduleChange(0, 0, 1));
    }

    @Test
    void aKeptTriggerFiresTheReloadedDefinition() {
        Target a = Target.of("a", "127.0.0.1", 80);
        reload(check("c", Duration.ofMillis(200), "ok", OK, a));
        scheduler.start();
        SeriesState state = state("c", "a");
        await().atMost(Duration.ofSeconds(10)).until(() -> state.runs(Outcome.OK) >= 1);

        assertThat(reload(check("c", Duration.ofMillis(200), "down", DOWN, a)))
                .isEqualTo(new CheckScheduler.ScheduleChange(1, 0, 0));

        assertThat(state("c", "a")).isSameAs(state);
        await().atMost(Duration.ofSeconds(10)).until(() -> state.runs(Outcome.CRITICAL) >= 1);
    }

    @Test
    void firesRunOnTheSchedulerThreadWithoutAHandOffToWorkers() {
        Set<String> firingThreads = ConcurrentHashMap.newKeySet();
        CheckDefinition recording = (t, c) -> {
            firingThreads.add(Thread.currentThread().getName());
            return CompletableFuture.completedFuture(CheckResult.ok("ok"));
        };
        // More pairs than Quartz's old worker pool had threads, due close together: batches of several at a time.
        Target[] targets = IntStream.range(0, 40)
                .mapToObj(i -> Target.of("t" + i, "127.0.0.1", 80))
                .toArray(Target[]::new);
        reload(check("many", Duration.ofMillis(100), "1", recording, targets));
        scheduler.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> IntStream.range(0, 40)
                .allMatch(i -> state("many", "t" + i).runs(Outcome.OK) >= 2));

        assertThat(firingThreads).containsExactly("patrol-scheduler");
    }
}
