package dev.patrol.plugin.sshcommand;

import dev.patrol.api.CheckContext;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckResult;
import dev.patrol.api.SshFailure;
import dev.patrol.api.Target;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs the configured command on a target through {@link CheckContext#ssh()} and turns what it did into a result
 * with {@link CommandOutcome}. A command that cannot be run (connection refused, unknown host key, authentication) is
 * a CRITICAL result with the failure's reason. The session pool closes the channel when the run is cancelled, so
 * this class holds nothing to clean up; with {@code command-timeout} the target's own {@code timeout} also ends the
 * command where OpenSSH will not signal it (root logins).
 *
 * <p>Immutable and thread-safe: one instance runs against many targets at once.
 */
final class SshCommandCheck implements CheckDefinition {
    private final SshCommandSettings settings;

    SshCommandCheck(SshCommandSettings settings) {
        this.settings = settings;
    }

    SshCommandSettings settings() {
        return settings;
    }

    @Override
    public boolean usesSsh() {
        return true;
    }

    @Override
    public CompletionStage<CheckResult> run(Target target, CheckContext context) {
        try {
            String command = settings.commandTimeout().wrap(settings.command(), context.remaining());
            return context.ssh()
                    .exec(target, command, settings.maxOutput(), context)
                    .thenApply(ended -> {
                        // Output may hold anything a remote program prints, so only its size is logged.
                        context.log().log(
                                System.Logger.Level.DEBUG,
                                () -> "Command ended target=" + target.name() + " exit_status="
                                        + ended.exitStatus() + " signal=" + ended.exitSignal()
                                        + " stdout_chars=" + ended.stdout().length() + " stderr_chars="
                                        + ended.stderr().length() + " truncated=" + ended.truncated());
                        return CommandOutcome.judge(ended, settings);
                    })
                    .exceptionally(error -> {
                        context.log().log(
                                System.Logger.Level.DEBUG, () -> "Command failed target=" + target.name(), error);
                        return SshFailure.toResult(error);
                    });
        } catch (RuntimeException e) {
            // A bug or a context without SSH: hand it to the engine as a failed stage, which it counts as a plugin
            // error, rather than throwing into the scheduler.
            return CompletableFuture.failedFuture(e);
        }
    }
}
