package dev.patrol.core.transition;

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
import dev.patrol.core.config.StateSettings;
import dev.patrol.core.engine.CheckEngine;
import dev.patrol.core.metrics.AgentMetrics;
import dev.patrol.core.schedule.CheckScheduler;
import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.state.SeriesState;
import dev.patrol.core.state.StateType;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A soft pair reruns every soft-interval instead of its interval, and goes back to its interval once hard. */
class SoftIntervalTest {
    private final ResultStore store = new ResultStore();
    private final AgentMetrics metrics = new AgentMetrics(() -> 0);
    private final CheckEngine engine =
            new CheckEngine(new LimitsSettings(100, 100, 100, 1), null, null, store, metrics, Clock.systemUTC());
    private final CheckScheduler scheduler = new CheckScheduler(engine, store, metrics, Clock.systemUTC());
    private final StateTracker tracker = new StateTracker();

    @AfterEach
    void close() {
        scheduler.close();
        engine.close();
    }

    private static final CheckDefinition FAILING =
            (t, c) -> CompletableFuture.completedFuture(CheckResult.critical(Reason.CHECK_FAILED, "down"));

    @Test
    void softRunsComeEverySoftIntervalUntilHard() {
        Target target = Target.of("web-1", "127.0.0.1", 80);
        Duration hourly = Duration.ofHours(1);
        CheckSettings check = new CheckSettings(
                "slow",
                "test",
                FAILING,
                hourly,
                null,
                Duration.ofSeconds(5),
                0,
                Duration.ZERO,
                List.of(target),
                Map.of(),
                List.of(),
                ConfigFactory.empty(),
                new StateSettings(3, Duration.ofMillis(200), 50, 25));
        List<SeriesDefinition> pairs = SeriesDefinition.of(List.of(check));
        store.apply(pairs, tracker::get);
        SeriesState series = store.get(new SeriesKey("slow", "web-1")).orElseThrow();
        engine.observe(new TransitionHook(tracker, store, scheduler::retime));
        scheduler.apply(pairs);
        scheduler.start();

        // The hourly schedule's first fire may be an hour away: fire once by hand, as the schedule would.
        engine.fire(check, target);

        await().atMost(Duration.ofSeconds(30)).until(() -> series.hardSoft()
                .map(state -> state.type() == StateType.HARD)
                .orElse(false));
        assertThat(series.runs(Outcome.CRITICAL)).isEqualTo(3);
        assertThat(series.hardSoft().orElseThrow().describe()).isEqualTo("hard 3/3");
        // Back on the hourly interval: no further runs come.
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> series.runs(Outcome.CRITICAL) == 3);
    }
}
