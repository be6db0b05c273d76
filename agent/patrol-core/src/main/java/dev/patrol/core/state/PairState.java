package dev.patrol.core.state;

import dev.patrol.api.Status;
import java.util.List;

/**
 * The soft/hard state of one (check, target) pair after its last recorded result. Immutable; a new one is computed
 * for every result.
 *
 * @param status the status of the last result
 * @param type soft or hard
 * @param attempt how many non-OK results in a row (1 for OK)
 * @param maxAttempts the check's {@code max-attempts} when this state was computed
 * @param hardStatus the status of the last hard state ({@code patrol_check_hard_status})
 * @param history the last results' statuses, oldest first, at most {@link #HISTORY}
 * @param flapping whether the pair is flapping
 * @param flapPercent the weighted percent state change over {@code history}
 */
public record PairState(
        Status status,
        StateType type,
        int attempt,
        int maxAttempts,
        Status hardStatus,
        List<Status> history,
        boolean flapping,
        double flapPercent) {
    /** Results considered for flapping, as in Nagios. */
    public static final int HISTORY = 21;

    public PairState {
        history = List.copyOf(history);
    }

    /** {@code soft 2/3}, {@code hard 3/3}: what the status page shows. */
    public String describe() {
        return type.label() + " " + attempt + "/" + maxAttempts + (flapping ? " flapping" : "");
    }
}
