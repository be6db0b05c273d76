package dev.patrol.core.action;

import static dev.patrol.api.Status.CRITICAL;
import static dev.patrol.api.Status.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import dev.patrol.core.audit.AuditLog;
import dev.patrol.core.audit.AuditReader;
import dev.patrol.core.config.ActionSettings;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.config.StateSettings;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.transition.StateTracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher with real local commands that append to a marker file: what fires, what is suppressed. */
class ActionDispatcherTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final StateTracker tracker = new StateTracker();
    private final ActionMetrics metrics = new ActionMetrics(() -> null);
    private final ActionDispatcher dispatcher = new ActionDispatcher(
            new GuardBook(), metrics, null, Clock.systemUTC(), (c, t) -> new CompletableFuture<>(), () -> {});
    private Target target = new Target("web-1", "127.0.0.1", 22, Map.of("service", "nginx"), ConfigFactory.empty());

    @AfterEach
    void close() {
        dispatcher.close();
    }

    private ActionSettings action(int maxPerHour, Duration cooldown, boolean dryRun) {
        ActionSettings base =
                ActionFixtures.local("restart", "echo {label.service} >> " + dir.resolve("marker"), List.of(target));
        ActionSettings shell = new ActionSettings(
                base.name(),
                base.check(),
                base.statuses(),
                base.targets(),
                base.where(),
                base.run(),
                true,
                null,
                base.timeout(),
                maxPerHour,
                cooldown,
                dryRun,
                false);
        return shell;
    }

    private void configure(ActionSettings action) {
        dispatcher.apply(
                Map.of(action.name(), action), ActionFixtures.limits(4, null), new AuditLog(dir, 1024 * 1024, 3));
    }

    private void feed(StateSettings settings, Status... statuses) {
        CheckSettings check = new CheckSettings(
                "web-up",
                "probe",
                null,
                Duration.ofSeconds(30),
                null,
                Duration.ofSeconds(10),
                0,
                Duration.ZERO,
                List.of(target),
                Map.of(),
                List.of(),
                ConfigFactory.empty(),
                settings);
        for (Status status : statuses) {
            var transition = tracker.record(new SeriesKey("web-up", target.name()), status, settings);
            dispatcher.transitioned(check, target, null, transition);
            await().atMost(WAIT).until(() -> dispatcher.guard().running() == 0);
        }
    }

    private long markerLines() throws IOException {
        Path marker = dir.resolve("marker");
        return Files.exists(marker) ? Files.readAllLines(marker).size() : 0;
    }

    private List<Config> audit() throws IOException {
        return AuditReader.read(dir, java.time.Instant.EPOCH);
    }

    @Test
    void becomesHardAfterMaxAttemptsAndFiresExactlyOnce() throws IOException {
        configure(action(3, Duration.ofMinutes(10), false));

        feed(new StateSettings(3, null, 50, 25), OK, CRITICAL, CRITICAL, CRITICAL, CRITICAL, CRITICAL);

        assertThat(markerLines()).isEqualTo(1);
        assertThat(metrics.runs("restart", "web-1", RunResult.SUCCESS)).isEqualTo(1);
        assertThat(metrics.suppressed("restart", "web-1", Suppression.SOFT_STATE))
                .isEqualTo(2);
        assertThat(audit())
                .extracting(entry -> entry.getString("event"))
                .containsExactly("suppressed", "suppressed", "run");
        assertThat(audit().get(2).getString("command")).isEqualTo("echo nginx >> " + dir.resolve("marker"));
    }

    @Test
    void theFirstResultAfterStartNeverFires() throws IOException {
        configure(action(3, Duration.ZERO, false));

        feed(StateSettings.DEFAULT, CRITICAL, CRITICAL);

        assertThat(markerLines()).isZero();
    }

    @Test
    void recoveryAndReFailureWithinTheCooldownFireNothing() throws IOException {
        configure(action(10, Duration.ofMinutes(10), false));

        feed(StateSettings.DEFAULT, OK, CRITICAL, OK, CRITICAL);

        assertThat(markerLines()).isEqualTo(1);
        assertThat(metrics.suppressed("restart", "web-1", Suppression.COOLDOWN)).isEqualTo(1);
    }

    @Test
    void aFlappingPairTriggersNothing() throws IOException {
        configure(action(1000, Duration.ZERO, false));
        Status[] alternating = new Status[30];
        for (int i = 0; i < alternating.length; i++) {
            alternating[i] = i % 2 == 0 ? OK : CRITICAL;
        }
        feed(StateSettings.DEFAULT, alternating);
        long before = markerLines();

        feed(StateSettings.DEFAULT, OK, CRITICAL, OK, CRITICAL);

        assertThat(tracker.get(new SeriesKey("web-up", "web-1")).orElseThrow().flapping())
                .isTrue();
        assertThat(markerLines()).isEqualTo(before);
        assertThat(metrics.suppressed("restart", "web-1", Suppression.FLAPPING)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void dryRunAuditsAndCountsButRunsNothing() throws IOException {
        configure(action(3, Duration.ZERO, true));

        feed(StateSettings.DEFAULT, OK, CRITICAL);

        assertThat(markerLines()).isZero();
        assertThat(metrics.runs("restart", "web-1", RunResult.DRY_RUN)).isEqualTo(1);
        assertThat(audit()).singleElement().satisfies(entry -> {
            assertThat(entry.getString("event")).isEqualTo("dry_run");
            assertThat(entry.getBoolean("dry_run")).isTrue();
        });
    }

    @Test
    void anUnquotableLabelRefusesTheAction() throws IOException {
        target = new Target(
                "web-1",
                "127.0.0.1",
                22,
                Map.of("service", "nginx\ntouch " + dir.resolve("owned")),
                ConfigFactory.empty());
        configure(action(3, Duration.ZERO, false));

        feed(StateSettings.DEFAULT, OK, CRITICAL);

        assertThat(markerLines()).isZero();
        assertThat(dir.resolve("owned")).doesNotExist();
        assertThat(metrics.suppressed("restart", "web-1", Suppression.UNSAFE_ARGUMENT))
                .isEqualTo(1);
    }
}
