package dev.patrol.core.job;

import dev.patrol.api.CommandResult;
import dev.patrol.api.Target;
import dev.patrol.transport.ssh.SshSessionPool;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A command job on one target, over the pooled SSH connection; success by {@code ok-exit-codes}. */
final class CommandTask {
    private final JobSettings job;
    private final SshSessionPool pool;

    CommandTask(JobSettings job, SshSessionPool pool) {
        this.job = job;
        this.pool = pool;
    }

    TargetOutcome run(Target target, JobContext context) {
        long started = System.nanoTime();
        JobResult result;
        String message;
        try {
            CommandResult done = pool.exec(target, job.command(), 0, context)
                    .toCompletableFuture()
                    .get(job.timeout().toMillis(), TimeUnit.MILLISECONDS);
            // A command killed by a signal reports status -1, which no ok-exit-codes entry (0-255) matches.
            boolean ok = job.okExitCodes().contains(done.exitStatus());
            result = ok ? JobResult.OK : JobResult.FAILED;
            String output = (done.stderr().isBlank() ? done.stdout() : done.stderr()).strip();
            message = "exit " + done.exitStatus() + (output.isEmpty() ? "" : ": " + firstLine(output));
        } catch (TimeoutException e) {
            context.cancel();
            result = JobResult.TIMEOUT;
            message = "timed out after " + job.timeout();
        } catch (InterruptedException e) {
            context.cancel();
            Thread.currentThread().interrupt();
            result = JobResult.FAILED;
            message = "interrupted";
        } catch (ExecutionException e) {
            result = JobResult.FAILED;
            message = FetchTask.message(e.getCause());
        }
        return new TargetOutcome(
                target.name(), result, message, 0, 0, 0, null, Duration.ofNanos(System.nanoTime() - started));
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
