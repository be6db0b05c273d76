package dev.patrol.core.job;

import dev.patrol.api.Target;
import dev.patrol.transport.DaemonThreads;
import dev.patrol.transport.ssh.SshSessionPool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one job over its targets with rolling concurrency: at most {@code serial} targets at once, the next one started
 * as soon as one ends, in selection order. Once {@code max-failures} targets have failed no more are started; those
 * still running finish, and the rest are reported {@code not_run}. A job's run blocks the calling thread (the CLI's,
 * or a job thread of the scheduler), never an SSH I/O thread.
 *
 * <pre>{@code
 * List<TargetOutcome> outcomes = new JobRunner(pool, Clock.systemUTC()).run(job, job.targets(), listener);
 * }</pre>
 *
 * <p>Thread-safe; each run has its own threads.
 */
public final class JobRunner {
    private final SshSessionPool pool;
    private final Clock clock;

    public JobRunner(SshSessionPool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    /** Runs {@code job} on {@code targets} (its own, or a subset) now; returns one outcome per target, in order. */
    public List<TargetOutcome> run(JobSettings job, List<Target> targets, JobListener listener)
            throws InterruptedException {
        int serial = job.serial().of(targets.size());
        int maxFailures = job.maxFailures().of(targets.size());
        Semaphore slots = new Semaphore(serial);
        AtomicInteger failures = new AtomicInteger();
        List<Future<TargetOutcome>> running = new ArrayList<>();
        List<TargetOutcome> outcomes = new ArrayList<>();
        ExecutorService targetThreads =
                Executors.newFixedThreadPool(serial, DaemonThreads.named("patrol-job-" + job.name()));
        ExecutorService transfers = Executors.newCachedThreadPool(DaemonThreads.named("patrol-job-io-" + job.name()));
        Throttle throttle = new Throttle(job.transfer().maxRate());
        LocalSource source =
                job.push() == null ? null : new LocalSource(job.push().source());
        try {
            for (Target target : targets) {
                slots.acquire();
                if (failures.get() >= maxFailures) {
                    slots.release();
                    running.add(java.util.concurrent.CompletableFuture.completedFuture(null));
                    continue;
                }
                running.add(targetThreads.submit(() -> {
                    try {
                        listener.started(job, target);
                        TargetOutcome outcome = runOne(job, target, transfers, throttle, source, listener);
                        if (!outcome.result().succeeded()) {
                            failures.incrementAndGet();
                        }
                        listener.finished(job, outcome);
                        return outcome;
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (int i = 0; i < targets.size(); i++) {
                TargetOutcome outcome;
                try {
                    outcome = running.get(i).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    outcome = new TargetOutcome(
                            targets.get(i).name(),
                            JobResult.FAILED,
                            FetchTask.message(e.getCause()),
                            0,
                            0,
                            0,
                            null,
                            java.time.Duration.ZERO);
                    listener.finished(job, outcome);
                }
                if (outcome == null) {
                    outcome = TargetOutcome.notRun(targets.get(i).name());
                    listener.finished(job, outcome);
                }
                outcomes.add(outcome);
            }
            return outcomes;
        } finally {
            targetThreads.shutdownNow();
            transfers.shutdownNow();
        }
    }

    private TargetOutcome runOne(
            JobSettings job,
            Target target,
            ExecutorService transfers,
            Throttle throttle,
            LocalSource source,
            JobListener listener) {
        JobContext context = new JobContext(job.name(), clock.instant().plus(job.timeout()), transfers);
        TransferMeter meter = new TransferMeter(
                job.transfer().maxBytes(),
                throttle,
                (bytes, planned, elapsed) -> listener.progress(job, target.name(), bytes, planned, elapsed));
        try {
            return switch (job.type()) {
                case COMMAND -> new CommandTask(job, pool).run(target, context);
                case FETCH -> new FetchTask(job, pool, clock).run(target, context, meter);
                case PUSH -> new PushTask(job, pool).run(target, context, meter, source);
            };
        } finally {
            context.cancel();
        }
    }
}
