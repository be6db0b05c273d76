package dev.patrol.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckResult;
import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.config.LimitsSettings;
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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CheckSchedulerTest {
    private final ResultStore store = new ResultStore();
    private final AgentMetrics metrics = new AgentMetrics(() -> 0);
    private final CheckEngine engine =
            new CheckEngine(new LimitsSettings(100, 100, 100, 1), null, null, store, metrics, Clock.systemUTC());
    private final CheckScheduler scheduler = new CheckScheduler(engine, metrics, Clock.systemUTC());

    @AfterEach
    void close() {
        scheduler.close();
        engine.close();
    }

    private static final CheckDefinition OK = (t, c) -> CompletableFuture.completedFuture(CheckResult.ok("ok"));

    private CheckSettings check(String name, Duration interval, String marker, Target... targets) {
        return new CheckSettings(
                name,
                "test",
                OK,
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

    private SeriesState register(CheckSettings check, Target target) {
        return store.register(
                new SeriesKey(check.name(), target.name()), "test", Map.of(), check.interval(), check.timeout());
    }

    @Test
    void firesEveryPairAtItsInterval() {
        Target a = Target.of("a", "127.0.0.1", 80);
        Target b = Target.of("b", "127.0.0.2", 80);
        CheckSettings check = check("fast", Duration.ofMillis(200), "1", a, b);
        SeriesState stateA = register(check, a);
        SeriesState stateB = register(check, b);
        scheduler.apply(Map.of("fast", check));
        scheduler.start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> stateA.runs(Outcome.OK) >= 3 && stateB.runs(Outcome.OK) >= 3);
    }

    @Test
    void reloadKeepsUnchangedChecksAndReplacesChangedOnes() {
        Target a = Target.of("a", "127.0.0.1", 80);
        Target b = Target.of("b", "127.0.0.1", 80);
        CheckSettings first = check("c", Duration.ofSeconds(30), "1", a, b);
        assertThat(scheduler.apply(Map.of("c", first))).isEqualTo(new CheckScheduler.ScheduleChange(0, 2, 0));
        CheckSettings same = check("c", Duration.ofSeconds(30), "1", a, b);
        assertThat(scheduler.apply(Map.of("c", same))).isEqualTo(new CheckScheduler.ScheduleChange(2, 0, 0));
        CheckSettings changed = check("c", Duration.ofSeconds(30), "2", a);
        assertThat(scheduler.apply(Map.of("c", changed))).isEqualTo(new CheckScheduler.ScheduleChange(0, 1, 1));
        assertThat(scheduler.apply(Map.of())).isEqualTo(new CheckScheduler.ScheduleChange(0, 0, 1));
    }
}
