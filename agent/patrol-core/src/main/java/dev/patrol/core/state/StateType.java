package dev.patrol.core.state;

/** Nagios state types: the {@code patrol_check_state_type} value is the {@link #code()}. */
public enum StateType {
    /** A non-OK result that has not yet repeated {@code max-attempts} times in a row. */
    SOFT(0),
    /** A confirmed state: OK, or non-OK for {@code max-attempts} results in a row. */
    HARD(1);

    private final int code;

    StateType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public String label() {
        return this == SOFT ? "soft" : "hard";
    }
}
