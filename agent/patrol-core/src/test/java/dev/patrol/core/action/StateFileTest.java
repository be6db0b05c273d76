package dev.patrol.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.Status;
import dev.patrol.core.config.StateSettings;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.transition.StateMachine.Transition;
import dev.patrol.core.transition.StateTracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final SeriesKey KEY = new SeriesKey("web-up", "web-1");
    private static final StateSettings THREE = new StateSettings(3, null, 50, 25);

    @TempDir
    Path dir;

    @Test
    void statesAndRunsSurviveARestart() {
        StateTracker tracker = new StateTracker();
        GuardBook book = new GuardBook();
        for (Status status : List.of(Status.OK, Status.CRITICAL, Status.CRITICAL, Status.CRITICAL)) {
            tracker.record(KEY, status, THREE);
        }
        GuardBook.Key action = new GuardBook.Key("restart", "web-1");
        book.record(action, NOW.minusSeconds(120));
        book.record(action, NOW.minusSeconds(60));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        try (DurableState state = new DurableState(new StateFile(dir), tracker, book, clock)) {
            state.saveNow();
        }

        StateTracker restartedTracker = new StateTracker();
        GuardBook restartedBook = new GuardBook();
        try (DurableState restarted = new DurableState(new StateFile(dir), restartedTracker, restartedBook, clock)) {
            restarted.restore();
        }

        assertThat(restartedTracker.get(KEY)).isEqualTo(tracker.get(KEY));
        assertThat(restartedBook.runsInLastHour(action, NOW)).isEqualTo(2);
        assertThat(restartedBook.lastRun(action)).contains(NOW.minusSeconds(60));
        // Still critical after the restart: not a first result, and not a hard change, so nothing fires again.
        Transition next = restartedTracker.record(KEY, Status.CRITICAL, THREE);
        assertThat(next.first()).isFalse();
        assertThat(next.hardChange()).isFalse();
    }

    @Test
    void writesAtomicallyLeavingNoTemporaryFile() throws Exception {
        StateFile file = new StateFile(dir);
        file.save(new StateFile.Saved(java.util.Map.of(), java.util.Map.of()));
        file.save(new StateFile.Saved(java.util.Map.of(), java.util.Map.of()));

        try (var files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("state.json");
        }
        assertThat(file.load().pairs()).isEmpty();
    }

    @Test
    void aMissingFileIsAFirstStart() throws Exception {
        assertThat(new StateFile(dir.resolve("none")).load().pairs()).isEmpty();
    }
}
