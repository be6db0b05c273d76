package dev.patrol.core.action;

import java.util.Locale;

/** Why an action did not run: the {@code reason} label of {@code patrol_action_suppressed_total}. */
public enum Suppression {
    RATE_LIMIT,
    COOLDOWN,
    IN_FLIGHT,
    MAX_CONCURRENT,
    KILL_SWITCH,
    FLAPPING,
    SOFT_STATE,
    UNSAFE_ARGUMENT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
