package dev.patrol.api;

/**
 * What a remote command did.
 *
 * @param exitStatus the exit status, or {@code -1} when the server reported none (killed by a signal)
 * @param exitSignal the signal that ended the command, e.g. {@code "KILL"}, or empty
 * @param stdout standard output, at most the requested number of bytes, decoded as UTF-8
 * @param stderr standard error, likewise capped
 * @param truncated whether either stream was longer than the cap
 */
public record CommandResult(int exitStatus, String exitSignal, String stdout, String stderr, boolean truncated) {

    public CommandResult {
        exitSignal = exitSignal == null ? "" : exitSignal;
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }
}
