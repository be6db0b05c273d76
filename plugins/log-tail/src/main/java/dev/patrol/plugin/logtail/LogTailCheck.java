package dev.patrol.plugin.logtail;

import dev.patrol.api.CheckContext;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import dev.patrol.api.Target;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One log-tail check: each run reads what is new in the target's files (see {@link TailRun}) on the context's
 * blocking executor, since spooling writes and forces local files. A run holds an exclusive lock on the target's
 * spool directory, so that a second agent process on the same state directory (such as {@code patrol test-check})
 * cannot spool the same lines twice.
 *
 * <p>Immutable and thread-safe; per-target state lives in {@link TailState}.
 */
final class LogTailCheck implements CheckDefinition {
    static final Target LOCAL = Target.of("local", "localhost", 0);

    private final LogTailSettings settings;
    private final LinePatterns patterns;

    LogTailCheck(LogTailSettings settings) {
        this.settings = settings;
        this.patterns = LinePatterns.of(settings.patterns().values());
    }

    LogTailSettings settings() {
        return settings;
    }

    LinePatterns patterns() {
        return patterns;
    }

    @Override
    public boolean needsTargets() {
        return settings.source() == LogTailSettings.Source.SSH;
    }

    @Override
    public boolean usesSsh() {
        return settings.source() == LogTailSettings.Source.SSH;
    }

    @Override
    public Target implicitTarget() {
        return LOCAL;
    }

    @Override
    public CompletionStage<CheckResult> run(Target target, CheckContext context) {
        Path dir = context.stateDir().resolve("spool").resolve(context.check()).resolve(target.name());
        Executor executor = context.blockingExecutor();
        try {
            return CompletableFuture.supplyAsync(() -> locked(dir, target, context), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(
                    CheckResult.unknown(Reason.NOT_RUN, "the agent's blocking executor is full; not run"));
        }
    }

    private CheckResult locked(Path dir, Target target, CheckContext context) {
        TailState state = TailState.of(dir);
        synchronized (state) {
            try {
                Files.createDirectories(dir);
                try (FileChannel lockFile = FileChannel.open(
                                dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock lock = lockFile.tryLock()) {
                    if (lock == null) {
                        return CheckResult.unknown(
                                Reason.NOT_RUN, "the spool " + dir + " is in use by another Patrol process; not run");
                    }
                    return new TailRun(
                                    settings,
                                    patterns,
                                    state,
                                    FileSource.of(settings.source(), target, context),
                                    context,
                                    target.name())
                            .run();
                }
            } catch (OverlappingFileLockException e) {
                return CheckResult.unknown(Reason.NOT_RUN, "the spool " + dir + " is in use; not run");
            } catch (IOException e) {
                state.reset();
                return CheckResult.critical(Reason.SPOOL_FULL, "cannot write the spool " + dir + ": " + e.getMessage())
                        .withSamples(TailSamples.of(settings, state));
            } catch (CompletionException | SshFailure e) {
                state.reset();
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                return SshFailure.toResult(cause).withSamples(TailSamples.of(settings, state));
            }
        }
    }
}
