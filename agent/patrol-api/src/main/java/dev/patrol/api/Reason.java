package dev.patrol.api;

import java.util.Locale;

/**
 * Why a check failed: a small closed set, so that it can be a label value ({@code reason}) without growing the
 * number of series. The free-text explanation goes in {@link CheckResult#summary()}, never here.
 */
public enum Reason {
    /** The check passed; no failure. Only an OK result carries it: {@link CheckResult} refuses it on any other. */
    NONE,
    /** The run did not finish before its deadline. */
    TIMEOUT,
    CONNECTION_REFUSED,
    /** Any other connect or I/O failure: reset, unreachable, closed early. */
    CONNECTION_FAILED,
    DNS_FAILED,
    TLS_FAILED,
    /** The server's SSH host key does not match known-hosts. */
    HOST_KEY_MISMATCH,
    /** The server's SSH host key is not in known-hosts. */
    HOST_KEY_UNKNOWN,
    AUTH_FAILED,
    /** An HTTP status outside {@code expect.status}. */
    STATUS_MISMATCH,
    /** A body regex that must match did not, or one that must not match did. */
    BODY_MISMATCH,
    /** The response was larger than the configured cap. */
    RESPONSE_TOO_LARGE,
    /** The check itself reported a problem (a Nagios plugin's non-zero exit, an expectation not met). */
    CHECK_FAILED,
    /** The response could not be parsed as the check expected (JSON, perfdata, exposition text). */
    PARSE_FAILED,
    /** A file to read is not there, or a glob matches no file. */
    FILE_MISSING,
    /** A file to read exists but cannot be read (permissions, I/O error). */
    FILE_UNREADABLE,
    /** A path to read is a directory or another non-regular file. */
    NOT_A_FILE,
    /** A glob matched more files than the check may follow; the rest are ignored. */
    TOO_MANY_FILES,
    /** The check's local spool reached its disk budget; reading stops until it has room again. */
    SPOOL_FULL,
    /** The plugin threw an exception: a bug, counted in {@code patrol_plugin_errors_total}. */
    PLUGIN_ERROR,
    /**
     * The login was accepted but the account's shell refuses to run commands ({@code nologin}): the check never
     * ran.
     */
    LOGIN_REFUSED,
    /** The remote shell could not find the command (exit status 127): the check never ran. */
    COMMAND_NOT_FOUND,
    /** The remote shell found the command but could not execute it (exit status 126): the check never ran. */
    COMMAND_NOT_EXECUTABLE,
    /** The server asked the agent to back off (HTTP 429, or 503 with {@code Retry-After}). */
    THROTTLED,
    /**
     * The agent did not run the check: it is shutting down, it has no thread free for the check's blocking work, or
     * what the check needs is held by another run. Not the target's failure.
     */
    NOT_RUN,
    /**
     * The run ran out of time waiting for the agent's own resources (an SSH handshake slot, a free channel on a
     * shared connection): still waiting at its deadline, or after waiting half its timeout. The agent's fault, not
     * the target's. The engine records such a run as
     * skipped ({@code patrol_check_skipped_total{reason="agent_busy"}}), never as a failure.
     */
    AGENT_BUSY;

    /** The snake_case label value, e.g. {@code connection_refused}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
