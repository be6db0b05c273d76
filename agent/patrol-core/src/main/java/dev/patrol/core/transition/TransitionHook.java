package dev.patrol.core.transition;

import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.engine.RunObserver;
import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.PairState;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.RunRecord;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.state.StateType;
import dev.patrol.core.transition.StateMachine.Transition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Turns each stored result into a soft/hard transition: updates the {@link StateTracker} and the pair's state in
 * the {@link ResultStore} (status page, metrics), switches the pair to its {@code soft-interval} while soft, and
 * tells the listeners (actions, durable state).
 *
 * <p>A run that ended in {@link Outcome#ERROR} (the plugin threw: the agent's fault, not the target's) changes no
 * state, following the result ownership rule.
 *
 * <p>Thread-safe.
 */
public final class TransitionHook implements RunObserver {
    /** Changes how often a pair runs: {@code CheckScheduler::retime}. */
    @FunctionalInterface
    public interface Retimer {
        void retime(String check, String target, Duration every);
    }

    private final StateTracker tracker;
    private final ResultStore store;
    private final Retimer retimer;
    private final List<TransitionListener> listeners = new CopyOnWriteArrayList<>();

    public TransitionHook(StateTracker tracker, ResultStore store, Retimer retimer) {
        this.tracker = tracker;
        this.store = store;
        this.retimer = retimer;
    }

    public void listen(TransitionListener listener) {
        listeners.add(listener);
    }

    @Override
    public void recorded(CheckSettings check, Target target, RunRecord run) {
        if (run.outcome() == Outcome.ERROR) {
            return;
        }
        SeriesKey key = new SeriesKey(check.name(), target.name());
        Transition transition = tracker.record(key, run.result().status(), check.state());
        retime(check, target, transition);
        try {
            for (TransitionListener listener : listeners) {
                listener.transitioned(check, target, run, transition);
            }
        } finally {
            // Published last, so whoever sees the new state (status page, tests) also sees what it triggered.
            store.get(key).ifPresent(series -> series.hardSoft(transition.state()));
        }
    }

    private void retime(CheckSettings check, Target target, Transition transition) {
        Duration soft = check.state().softInterval();
        if (soft == null || check.cron() != null || soft.equals(check.interval())) {
            return;
        }
        boolean isSoft = transition.state().type() == StateType.SOFT;
        PairState before = transition.previous();
        boolean wasSoft = before != null && before.type() == StateType.SOFT;
        if (isSoft != wasSoft) {
            retimer.retime(check.name(), target.name(), isSoft ? soft : check.interval());
        }
    }
}
