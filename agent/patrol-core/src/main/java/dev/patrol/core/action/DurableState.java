package dev.patrol.core.action;

import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.state.RunRecord;
import dev.patrol.core.transition.StateMachine.Transition;
import dev.patrol.core.transition.StateTracker;
import dev.patrol.core.transition.TransitionListener;
import dev.patrol.transport.DaemonThreads;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link StateFile} up to date: at once when a hard state changes or an action is admitted (the two facts a
 * restart must not forget), and otherwise within a second or two of any other change, so that a busy agent does
 * not write the file on every run.
 *
 * <p>Thread-safe: saves are serialized.
 */
public final class DurableState implements TransitionListener, AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(DurableState.class);

    private final StateFile file;
    private final StateTracker tracker;
    private final GuardBook book;
    private final Clock clock;
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final ScheduledExecutorService flusher =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("patrol-state-file"));
    private boolean warned;

    public DurableState(StateFile file, StateTracker tracker, GuardBook book, Clock clock) {
        this.file = file;
        this.tracker = tracker;
        this.book = book;
        this.clock = clock;
        flusher.scheduleWithFixedDelay(this::flushIfDirty, 2, 2, TimeUnit.SECONDS);
    }

    /** Restores what an earlier run of the agent saved; a missing file is a first start. */
    public void restore() {
        try {
            StateFile.Saved saved = file.load();
            tracker.restore(saved.pairs());
            book.restore(saved.runs());
            logger.atInfo()
                    .addKeyValue("pairs", saved.pairs().size())
                    .addKeyValue("file", file.file())
                    .log("Restored check states and action counts");
        } catch (IOException | RuntimeException e) {
            logger.atError()
                    .addKeyValue("file", file.file())
                    .log("Cannot read the saved state, starting without it: {}", e.toString());
        }
    }

    @Override
    public void transitioned(CheckSettings check, Target target, RunRecord run, Transition transition) {
        if (transition.hardChange()) {
            saveNow();
        } else {
            dirty.set(true);
        }
    }

    /** Writes the file now; called before an admitted action starts. */
    public synchronized void saveNow() {
        dirty.set(false);
        try {
            file.save(new StateFile.Saved(tracker.snapshot(), book.snapshot(clock.instant())));
            warned = false;
        } catch (IOException | RuntimeException e) {
            if (!warned) {
                logger.atError()
                        .addKeyValue("file", file.file())
                        .log("Cannot save the check states and action counts: {}", e.toString());
                warned = true;
            }
        }
    }

    private void flushIfDirty() {
        if (dirty.get()) {
            saveNow();
        }
    }

    @Override
    public void close() {
        flusher.shutdownNow();
        saveNow();
    }
}
