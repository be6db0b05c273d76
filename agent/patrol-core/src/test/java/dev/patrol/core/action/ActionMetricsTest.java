package dev.patrol.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.Target;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActionMetricsTest {
    @TempDir
    Path dir;

    @Test
    void presetsEveryResultAndReasonAndDropsRemovedActions() {
        ActionMetrics metrics = new ActionMetrics(() -> null);
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(metrics);
        metrics.configure(List.of(ActionFixtures.local("restart", "true", List.of(Target.of("web-1", "h", 22)))));

        for (RunResult result : RunResult.values()) {
            assertThat(value(registry, "patrol_action_runs_total", "restart", "web-1", "result", result.label()))
                    .isZero();
        }
        for (Suppression reason : Suppression.values()) {
            assertThat(value(registry, "patrol_action_suppressed_total", "restart", "web-1", "reason", reason.label()))
                    .isZero();
        }
        metrics.ran(new GuardBook.Key("restart", "web-1"), RunResult.SUCCESS, 5_000);
        assertThat(value(registry, "patrol_action_runs_total", "restart", "web-1", "result", "success"))
                .isEqualTo(1.0);
        assertThat(registry.getSampleValue(
                        "patrol_action_last_run_timestamp_seconds",
                        new String[] {"action", "target"},
                        new String[] {"restart", "web-1"}))
                .isEqualTo(5.0);

        metrics.configure(List.of());
        assertThat(value(registry, "patrol_action_runs_total", "restart", "web-1", "result", "success"))
                .isNull();
    }

    @Test
    void actionsEnabledFollowsTheKillSwitchFile() throws Exception {
        Path kill = dir.resolve("actions.disabled");
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(new ActionMetrics(() -> kill));

        assertThat(registry.getSampleValue("patrol_actions_enabled")).isEqualTo(1.0);
        Files.writeString(kill, "");
        assertThat(registry.getSampleValue("patrol_actions_enabled")).isEqualTo(0.0);
    }

    private static Double value(
            CollectorRegistry registry, String name, String action, String target, String label, String labelValue) {
        return registry.getSampleValue(
                name, new String[] {"action", "target", label}, new String[] {action, target, labelValue});
    }
}
