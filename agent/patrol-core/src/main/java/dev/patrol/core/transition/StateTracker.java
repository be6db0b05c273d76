package dev.patrol.core.transition;

import dev.patrol.api.Status;
import dev.patrol.core.config.StateSettings;
import dev.patrol.core.state.PairState;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.transition.StateMachine.Transition;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The soft/hard state of every (check, target) pair, kept apart from the result store so that it survives a reload
 * that re-registers a pair, and can be saved and restored across restarts.
 *
 * <p>Thread-safe: each pair's state is replaced atomically; results of one pair never overlap (single-flight).
 */
public final class StateTracker {
    private final Map<SeriesKey, PairState> states = new ConcurrentHashMap<>();

    /** Applies one result and returns the transition it caused. */
    public Transition record(SeriesKey key, Status status, StateSettings settings) {
        Transition[] result = new Transition[1];
        states.compute(key, (k, previous) -> {
            result[0] = StateMachine.next(previous, status, settings);
            return result[0].state();
        });
        return result[0];
    }

    public Optional<PairState> get(SeriesKey key) {
        return Optional.ofNullable(states.get(key));
    }

    /** Every pair's state, sorted by check then target. */
    public Map<SeriesKey, PairState> snapshot() {
        return new TreeMap<>(states);
    }

    /** States saved by an earlier run of the agent; pairs with a state already are left alone. */
    public void restore(Map<SeriesKey, PairState> saved) {
        saved.forEach(states::putIfAbsent);
    }

    /** Forgets pairs a reload removed. */
    public void retainOnly(Set<SeriesKey> keep) {
        states.keySet().retainAll(keep);
    }
}
