package dev.patrol.api;

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
     *     command could not be run (connect, host key, authentication, channel)
     */
    CompletionStage<CommandResult> exec(Target target, String command, int maxOutputBytes, CheckContext context);
}
