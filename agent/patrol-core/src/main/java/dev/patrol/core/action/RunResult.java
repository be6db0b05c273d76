package dev.patrol.core.action;

import java.util.Locale;

/** How an action run ended: the {@code result} label of {@code patrol_action_runs_total}. */
public enum RunResult {
    SUCCESS,
    FAILURE,
    TIMEOUT,
    DRY_RUN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
