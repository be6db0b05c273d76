package dev.patrol.core.state;

import java.util.Locale;

/** Why a scheduled fire did not run, or ran without a result that is the target's: the {@code reason} label of {@code patrol_check_skipped_total}. */
public enum SkipReason {
    /** The previous run of the same check and target was still in flight. */
    OVERLAP,
    /** A concurrency limit (global, per host or per check) was full. */
    LIMIT,
    /** No token of the check's {@code rate-limit} within its max-wait and deadline, or a Retry-After pause. */
    RATE_LIMIT,
    /**
     * The run ran out of time waiting for the agent's own resources (an SSH handshake slot, a channel of a shared
     * connection): the agent was busy, the target is not to blame. Such a run changes no state.
     */
    AGENT_BUSY;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
