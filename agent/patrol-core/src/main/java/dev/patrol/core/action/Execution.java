package dev.patrol.core.action;

import java.time.Duration;

/**
 * What one action command or request did.
 *
 * @param result success, failure or timeout
 * @param exitStatus the exit status or HTTP status; {@code -1} when there was none
 * @param output the first KiB of output, or why it could not run
 * @param duration how long it took
 */
record Execution(RunResult result, int exitStatus, String output, Duration duration) {
    static final int MAX_OUTPUT = 1024;

    Execution {
        output = output == null ? "" : cap(output);
    }

    private static String cap(String text) {
        return text.length() <= MAX_OUTPUT ? text : text.substring(0, MAX_OUTPUT);
    }
}
