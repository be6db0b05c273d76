package dev.patrol.api;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Runs commands on targets over the agent's pooled SSH sessions: one authenticated connection per target, shared by
 * every check on it, with a channel per command. Obtained from {@link CheckContext#ssh()}.
 *
 * <pre>{@code
 * return context.ssh()
 *         .exec(target, "/usr/lib/nagios/plugins/check_load -w 5,4,3 -c 10,8,6", 64 * 1024, context)
 *         .thenApply(NagiosOutput::toResult)
 *         .exceptionally(SshFailure::toResult);
 * }</pre>
 *
 * <p>Implementations are thread-safe and never block the caller; the returned stage completes on an SSH I/O thread.
 */
public interface SshSessions {

    /**
     * Runs {@code command} on {@code target} and collects its exit status and output. The channel is closed when the
     * command ends, when {@code context} is cancelled (the remote process is signalled where the server allows), or
     * when the deadline passes.
     *
     * @param maxOutputBytes how much of stdout and of stderr to keep each; the rest is read and discarded
     * @return a stage that completes with the command's result, or exceptionally with {@link SshFailure} when the
     *     command could not be run (connect, host key, authentication, channel); with reason
     *     {@link Reason#AGENT_BUSY} when {@code context} was cancelled while the command still waited in the agent's
     *     own queues (a handshake slot, a free channel), which {@link CheckContext#waitingForAgent} reports as well
     */
    CompletionStage<CommandResult> exec(Target target, String command, int maxOutputBytes, CheckContext context);

    /**
     * Looks up the files matching {@code patterns} on {@code target}, following symbolic links: type, size and
     * identity (device and inode) of each, in one command over the pooled connection. A pattern is an absolute path
     * in which {@code *} and {@code ?} match within one path segment; every other character is passed to the remote
     * shell quoted. A pattern that matches nothing contributes nothing; that is not an error.
     *
     * <pre>{@code
     * context.ssh().stat(target, List.of("/var/log/app/*.log"), 100, context)
     *         .thenAccept(listing -> listing.files().forEach(file -> ...));
     * }</pre>
     *
     * @param maxFiles how many files to return at most; {@link FileListing#truncated()} says when more matched
     * @return a stage that fails with {@link SshFailure} when the lookup could not be run (connect, channel, or a
     *     remote system without GNU or BusyBox {@code stat})
     */
    default CompletionStage<FileListing> stat(
            Target target, List<String> patterns, int maxFiles, CheckContext context) {
        throw new UnsupportedOperationException("these SSH sessions cannot look up files");
    }

    /**
     * Reads up to {@code maxBytes} of the file at {@code path} from byte {@code offset} over SFTP, on the pooled
     * connection and within its channel limit; the SFTP channel is closed before the stage completes. Fewer bytes
     * (or none) come back at the end of the file.
     *
     * @return a stage with the bytes read; it fails with {@link java.nio.file.NoSuchFileException} for a missing
     *     file, {@link java.nio.file.AccessDeniedException} for one that cannot be read, another
     *     {@link java.io.IOException} for other SFTP errors, and {@link SshFailure} when the connection failed
     */
    default CompletionStage<byte[]> read(Target target, String path, long offset, int maxBytes, CheckContext context) {
        throw new UnsupportedOperationException("these SSH sessions cannot read files");
    }

    /**
     * Opens one SFTP channel on {@code target}'s pooled connection for many reads: what a run that reads files in
     * chunks uses instead of {@link #read}, which opens a channel per call. The reader holds one channel permit
     * until it is closed; {@code context}'s cancellation (the deadline) closes it too.
     *
     * @return a stage with the open reader, or failed with {@link SshFailure} when the channel could not be opened
     *     (connect, channel limit until the deadline, no SFTP subsystem)
     */
    default CompletionStage<RemoteFileReader> openReader(Target target, CheckContext context) {
        throw new UnsupportedOperationException("these SSH sessions cannot read files");
    }
}
