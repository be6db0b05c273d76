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
    NOT_RUN,
    /** A push found the target's file already the same (checksum and mode): nothing was transferred. */
    SKIPPED,
    /** The local disk filled up during a fetch; the partial file was removed and no older backup pruned. */
    DISK_FULL,
    /** The run would have transferred more than the job's {@code max-bytes}. */
    TOO_LARGE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The result for a transfer that failed with {@code e}: {@code disk_full} when the local disk (or quota) ran out,
     * {@code too_large} past {@code max-bytes}, else {@code failed}.
     */
    static JobResult ofFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TransferMeter.TooLarge) {
                return TOO_LARGE;
            }
            String message = cause.getMessage();
            // What the JDK reports for ENOSPC and EDQUOT (strerror text); there is no dedicated exception type.
            if (message != null
                    && (message.contains("No space left on device") || message.contains("Disk quota exceeded"))) {
                return DISK_FULL;
            }
        }
        return FAILED;
    }

    public boolean succeeded() {
        return this == OK || this == SKIPPED;
    }
}
