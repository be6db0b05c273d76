package dev.patrol.core.transition;

import dev.patrol.api.Status;
import dev.patrol.core.config.StateSettings;
import dev.patrol.core.state.PairState;
import dev.patrol.core.state.StateType;
import java.util.ArrayList;
import java.util.List;

/**
 * Nagios' soft and hard states. A non-OK result is soft until it has repeated {@code max-attempts} times in a row,
 * then hard; a recovery to OK is hard at once; a hard non-OK pair whose status changes (critical to warning) stays
 * hard with the new status. Pure and stateless.
 *
 * <pre>{@code
 * Transition next = StateMachine.next(previous, Status.CRITICAL, settings);
 * if (next.hardChange() && !next.first()) { ... }
 * }</pre>
 */
public final class StateMachine {
    private StateMachine() {}

    /**
     * One result applied to a pair's state.
     *
     * @param state the state after the result
     * @param previous the state before it, {@code null} for the first result the agent knows of
     * @param hardChange whether the hard status changed with this result
     */
    public record Transition(PairState state, PairState previous, boolean hardChange) {
        /** The first result with no earlier state to compare: never a trigger. */
        public boolean first() {
            return previous == null;
        }
    }

    /** @param previous the pair's state before this result, or {@code null} when there is none */
    public static Transition next(PairState previous, Status status, StateSettings settings) {
        int max = Math.max(1, settings.maxAttempts());
        List<Status> history = new ArrayList<>(previous == null ? List.of() : previous.history());
        history.add(status);
        while (history.size() > PairState.HISTORY) {
            history.remove(0);
        }
        double percent = FlapDetector.percentChange(history);
        boolean flapping = FlapDetector.flapping(
                previous != null && previous.flapping(), percent, settings.flapHigh(), settings.flapLow());
        Status before = previous == null ? Status.OK : previous.status();
        Status hardBefore = previous == null ? Status.OK : previous.hardStatus();
        StateType typeBefore = previous == null ? StateType.HARD : previous.type();
        StateType type;
        int attempt;
        Status hard;
        if (status == Status.OK) {
            type = StateType.HARD;
            attempt = 1;
            hard = Status.OK;
        } else if (before != Status.OK && typeBefore == StateType.HARD) {
            type = StateType.HARD;
            attempt = Math.min(previous.attempt(), max);
            hard = status;
        } else {
            attempt = before == Status.OK ? 1 : previous.attempt() + 1;
            type = attempt >= max ? StateType.HARD : StateType.SOFT;
            attempt = Math.min(attempt, max);
            hard = type == StateType.HARD ? status : hardBefore;
        }
        PairState next = new PairState(status, type, attempt, max, hard, history, flapping, percent);
        return new Transition(next, previous, type == StateType.HARD && hard != hardBefore);
    }
}
