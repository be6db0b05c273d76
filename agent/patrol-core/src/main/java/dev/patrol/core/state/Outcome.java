package dev.patrol.core.state;

import dev.patrol.api.Status;
import java.util.Locale;

/** How a run ended: the {@code result} label of {@code patrol_check_runs_total}. */
public enum Outcome {
    OK,
    WARNING,
    CRITICAL,
    UNKNOWN,
    /** The run hit its deadline and was cancelled. */
    TIMEOUT,
    /** The plugin threw: a bug, not a target problem. */
    ERROR;

    public static Outcome of(Status status) {
        return switch (status) {
            case OK -> OK;
            case WARNING -> WARNING;
            case CRITICAL -> CRITICAL;
            case UNKNOWN -> UNKNOWN;
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
