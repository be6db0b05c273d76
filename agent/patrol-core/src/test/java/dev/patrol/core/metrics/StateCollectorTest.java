package dev.patrol.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.Status;
import dev.patrol.core.config.StateSettings;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.state.SeriesState;
import dev.patrol.core.transition.StateTracker;
import io.prometheus.client.CollectorRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateCollectorTest {
    private final ResultStore store = new ResultStore();
    private final CollectorRegistry registry = new CollectorRegistry();

    private Double value(String name, String target) {
        return registry.getSampleValue(
                name, new String[] {"check", "target", "team"}, new String[] {"web-up", target, "shop"});
    }

    @Test
    void exposesHardStatusStateTypeAndFlappingOfPairsWithAResult() {
        registry.register(new StateCollector(store));
        StateTracker tracker = new StateTracker();
        StateSettings three = new StateSettings(3, null, 50, 25);
        SeriesState soft = store.register(
                new SeriesKey("web-up", "web-1"),
                "http",
                Map.of("team", "shop"),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5));
        store.register(
                new SeriesKey("web-up", "web-2"),
                "http",
                Map.of("team", "shop"),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5));
        tracker.record(soft.key(), Status.OK, three);
        soft.hardSoft(tracker.record(soft.key(), Status.CRITICAL, three).state());

        assertThat(value("patrol_check_hard_status", "web-1")).isEqualTo(0.0);
        assertThat(value("patrol_check_state_type", "web-1")).isEqualTo(0.0);
        assertThat(value("patrol_check_flapping", "web-1")).isEqualTo(0.0);
        assertThat(value("patrol_check_state_type", "web-2")).isNull();

        tracker.record(soft.key(), Status.CRITICAL, three);
        soft.hardSoft(tracker.record(soft.key(), Status.CRITICAL, three).state());
        assertThat(value("patrol_check_hard_status", "web-1")).isEqualTo(2.0);
        assertThat(value("patrol_check_state_type", "web-1")).isEqualTo(1.0);
    }
}
