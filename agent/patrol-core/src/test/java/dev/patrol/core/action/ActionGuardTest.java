package dev.patrol.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.Target;
import dev.patrol.core.config.ActionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActionGuardTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<Target> TARGETS = List.of(Target.of("web-1", "h1", 22), Target.of("web-2", "h2", 22));
    private static final ActionSettings.Limits LIMITS = ActionFixtures.limits(4, null);

    private final GuardBook book = new GuardBook();
    private final ActionGuard guard = new ActionGuard(book);

    private static ActionSettings action(String name, int perHour, Duration cooldown) {
        return ActionFixtures.withGuards(ActionFixtures.local(name, "true", TARGETS), perHour, cooldown, false);
    }

    @Test
    void oneActionInFlightPerTargetAcrossActions() {
        assertThat(guard.admit(action("a", 3, Duration.ZERO), "web-1", LIMITS, T0))
                .isEmpty();

        assertThat(guard.admit(action("b", 3, Duration.ZERO), "web-1", LIMITS, T0))
                .contains(Suppression.IN_FLIGHT);
        assertThat(guard.admit(action("b", 3, Duration.ZERO), "web-2", LIMITS, T0))
                .isEmpty();

        guard.release("web-1");
        assertThat(guard.admit(action("b", 3, Duration.ZERO), "web-1", LIMITS, T0))
                .isEmpty();
    }

    @Test
    void cooldownPerActionAndTarget() {
        ActionSettings a = action("a", 10, Duration.ofMinutes(10));
        guard.admit(a, "web-1", LIMITS, T0);
        guard.release("web-1");

        assertThat(guard.admit(a, "web-1", LIMITS, T0.plusSeconds(599))).contains(Suppression.COOLDOWN);
        assertThat(guard.admit(a, "web-2", LIMITS, T0.plusSeconds(1))).isEmpty();
        guard.release("web-2");
        assertThat(guard.admit(a, "web-1", LIMITS, T0.plusSeconds(600))).isEmpty();
    }

    @Test
    void maxPerHourIsARollingHour() {
        ActionSettings a = action("a", 2, Duration.ZERO);
        for (int i = 0; i < 2; i++) {
            assertThat(guard.admit(a, "web-1", LIMITS, T0.plusSeconds(i * 60))).isEmpty();
            guard.release("web-1");
        }

        assertThat(guard.admit(a, "web-1", LIMITS, T0.plusSeconds(3599))).contains(Suppression.RATE_LIMIT);
        assertThat(guard.admit(a, "web-1", LIMITS, T0.plusSeconds(3601))).isEmpty();
    }

    @Test
    void maxConcurrentAcrossTheAgent() {
        ActionSettings.Limits one = ActionFixtures.limits(1, null);
        assertThat(guard.admit(action("a", 3, Duration.ZERO), "web-1", one, T0)).isEmpty();

        assertThat(guard.admit(action("a", 3, Duration.ZERO), "web-2", one, T0)).contains(Suppression.MAX_CONCURRENT);
        assertThat(guard.maxRunning()).isEqualTo(1);
    }

    @Test
    void theKillSwitchIsLookedUpEveryTime(@TempDir Path dir) throws Exception {
        Path kill = dir.resolve("actions.disabled");
        ActionSettings.Limits limits = ActionFixtures.limits(4, kill);
        ActionSettings a = action("a", 100, Duration.ZERO);
        Files.writeString(kill, "");

        assertThat(guard.admit(a, "web-1", limits, T0)).contains(Suppression.KILL_SWITCH);
        Files.delete(kill);
        assertThat(guard.admit(a, "web-1", limits, T0)).isEmpty();
        guard.release("web-1");
        Files.writeString(kill, "");
        assertThat(guard.admit(a, "web-1", limits, T0)).contains(Suppression.KILL_SWITCH);
    }

    @Test
    void aDryRunHoldsNothingAndCountsNothing() {
        ActionSettings dry =
                ActionFixtures.withGuards(ActionFixtures.local("a", "true", TARGETS), 1, Duration.ZERO, true);

        assertThat(guard.admit(dry, "web-1", LIMITS, T0)).isEmpty();
        assertThat(guard.admit(dry, "web-1", LIMITS, T0)).isEmpty();
        assertThat(guard.running()).isZero();
        assertThat(book.runsInLastHour(new GuardBook.Key("a", "web-1"), T0)).isZero();
    }

    @Test
    void anAdmittedRunIsInTheBookBeforeItFinishes() {
        guard.admit(action("a", 3, Duration.ZERO), "web-1", LIMITS, T0);

        assertThat(book.lastRun(new GuardBook.Key("a", "web-1"))).isEqualTo(Optional.of(T0));
    }
}
