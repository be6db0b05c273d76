package dev.patrol.api;

import java.util.Locale;

/** Nagios-style check status; {@link #code()} is the value of {@code patrol_check_status}. */
public enum Status {
    OK(0),
    WARNING(1),
    CRITICAL(2),
    UNKNOWN(3);

    private final int code;

    Status(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** OK and WARNING count as up, as Nagios does for {@code patrol_check_up}. */
    public boolean isUp() {
        return this == OK || this == WARNING;
    }

    /** The Nagios plugin exit code mapping: 0, 1, 2 and anything else is UNKNOWN. */
    public static Status fromExitCode(int exitCode) {
        return switch (exitCode) {
            case 0 -> OK;
            case 1 -> WARNING;
            case 2 -> CRITICAL;
            default -> UNKNOWN;
        };
    }

    /** The lower-case form used as a label value. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
