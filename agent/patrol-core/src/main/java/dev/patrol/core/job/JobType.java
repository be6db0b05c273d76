package dev.patrol.core.job;

/** What a job does on each target. */
public enum JobType {
    /** Runs a command over SSH; success by exit status. */
    COMMAND,
    /** Downloads files or globs over SFTP into the backup directory, checksummed and atomic. */
    FETCH,
    /** Uploads one local file to each target under a temporary name, then renames it; skipped when it is the same. */
    PUSH
}
