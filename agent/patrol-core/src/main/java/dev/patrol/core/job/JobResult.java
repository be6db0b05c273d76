package dev.patrol.core.job;

import java.util.Locale;

/** How one target's part of a job run ended: the closed set of {@code result} label values. */
public enum JobResult {
    OK,
    /** The command exited with a status outside {@code ok-exit-codes}, or the connection or a transfer failed. */
    FAILED,
    /** A file kept changing while it was downloaded (size, mtime or checksum), twice in a row. */
    CHANGED,
    /** A path or glob matched no file (and {@code no-files = fail}). */
    NO_FILES,
    /** The target's run passed the job's {@code timeout}. */
    TIMEOUT,
    /** Not started: the rollout stopped after {@code max-failures}. */
    NOT_RUN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean succeeded() {
        return this == OK;
    }
}
