package dev.patrol.core.engine;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.SshSessions;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.metrics.AgentMetrics;
import dev.patrol.core.state.Outcome;
import dev.patrol.transport.DaemonThreads;
import dev.patrol.transport.http.HttpClientPool;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a check: hands the plugin a context, enforces the deadline with a timer that cancels the plugin's
 * work, and converts whatever comes back (a result, an exception, nothing in time) into an {@link Attempt}. The
 * returned future never completes exceptionally.
 *
 * <p>Thread-safe. Owns the deadline timer, the bounded executor for blocking plugin code and the stall meter.
 */
final class AttemptRunner implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(AttemptRunner.class);
    /**
     * What an attempt cut short by the agent stopping ends with. The engine records nothing for it: a stopping
     * agent is no news about the target, so it logs no state change and fires no action.
     */
    static final Attempt SHUTDOWN =
            new Attempt(Outcome.UNKNOWN, CheckResult.unknown(Reason.NOT_RUN, "agent is shutting down"));

    /** Blocking tasks that may queue behind the busy threads before new ones are rejected. */
    private static final int BLOCKING_QUEUE = 1024;

    private final HttpClientPool http;
    private final SshSessions ssh;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadPoolExecutor blocking;
    private final StallMeter stalls;
    /** Each attempt in flight, with what ends it at once when the agent stops. */
    private final Map<RunContext, Runnable> active = new ConcurrentHashMap<>();

    private final CheckLoggers checkLoggers;
    private volatile boolean closed;
    private volatile java.nio.file.Path stateDir;

    AttemptRunner(
            HttpClientPool http,
            SshSessions ssh,
            AgentMetrics metrics,
            Clock clock,
            int blockingThreads,
            CheckLoggers checkLoggers,
            StallMeter stalls) {
        this.stalls = stalls;
        this.http = http;
        this.checkLoggers = checkLoggers;
        this.ssh = ssh;
        this.metrics = metrics;
        this.clock = clock;
        this.timer = DeadlineTimer.create();
        this.blocking = new ThreadPoolExecutor(
                blockingThreads,
                blockingThreads,
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(BLOCKING_QUEUE),
                DaemonThreads.named("patrol-blocking"));
        this.blocking.allowCoreThreadTimeOut(true);
    }

    void stateDir(java.nio.file.Path dir) {
        this.stateDir = dir;
    }

    Clock clock() {
        return clock;
    }

    /** How long the agent could not run since it started, in seconds ({@link StallMeter}). */
    double stalledSeconds() {
        return stalls.stalledSeconds();
    }

    boolean isClosed() {
        return closed;
    }

    /** Runs {@code task} after {@code delay}; false when the runner is shutting down and will not. */
    boolean schedule(Runnable task, Duration delay) {
        try {
            timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    CompletableFuture<Attempt> attempt(CheckSettings check, Target target) {
        return attempt(check, target, check.timeout(), budget -> CompletableFuture.completedFuture(true));
    }

    /**
     * An attempt with a deadline of {@code timeout} from now (shorter than the check's after a rate-limit wait);
     * {@code permits} gives the tokens of further requests within it ({@code CheckContext.nextRequest}), waiting at most
     * the budget it is handed.
     */
    CompletableFuture<Attempt> attempt(
            CheckSettings check,
            Target target,
            Duration timeout,
            Function<Duration, CompletableFuture<Boolean>> permits) {
        RunContext context = new RunContext(
                check.name(),
                clock.instant().plus(timeout),
                clock,
                checkLoggers.of(check.name()).plugin(),
                http,
                ssh,
                blocking,
                stateDir,
                permits);
        CompletableFuture<Attempt> result = new CompletableFuture<>();
        if (closed) {
            result.complete(SHUTDOWN);
            return result;
        }
        StallMeter.Mark stallMark = stalls.mark();
        CompletionStage<CheckResult> stage = start(check, target, context);
        AtomicBoolean settled = new AtomicBoolean();
        Consumer<Attempt> cutOff = attempt -> {
            if (settled.compareAndSet(false, true)) {
                // Cancel first, so that what the plugin holds is released by the time the run is reported.
                context.cancel();
                cancelQuietly(stage);
                result.complete(attempt);
            }
        };
        // Decided before the cancel, which ends the waits: was the run still queued behind the agent's own work?
        ScheduledFuture<?> deadline;
        try {
            deadline = timer.schedule(
                    () -> cutOff.accept(atDeadline(context, timeout, stalls.stalledWithin(stallMark, timeout))),
                    timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            cutOff.accept(SHUTDOWN); // the timer stopped: close() ran while this attempt was starting
            return result;
        }
        active.put(context, () -> cutOff.accept(SHUTDOWN));
        stage.whenComplete((checkResult, error) -> {
            deadline.cancel(false);
            // After a timeout the plugin's stage ends cancelled or late; that is the timeout, not a plugin error.
            if (settled.compareAndSet(false, true)) {
                result.complete(toAttempt(check, target, checkResult, error, context, timeout, stallMark));
            }
        });
        result.whenComplete((attempt, error) -> active.remove(context));
        if (closed) {
            cutOff.accept(SHUTDOWN); // close() ran while this attempt was starting
        }
        return result;
    }

    /**
     * The attempt cut off at its deadline: a timeout, the target's, unless the agent kept the run waiting for its own
     * resources (an SSH handshake slot, a channel): still waiting at the deadline, or having waited at least half the
     * timeout, so that the target had less than half its time (the rule a rate-limit wait follows too); or unless the
     * agent itself could not run ({@code stalled}, see {@link StallMeter}) for at least half the timeout. Then it is
     * {@link Reason#AGENT_BUSY}, recorded as a skip.
     */
    private static Attempt atDeadline(RunContext context, Duration timeout, Duration stalled) {
        String waitingFor = context.agentWait();
        if (waitingFor != null) {
            return agentBusy("still waiting for " + waitingFor + " after " + format(timeout));
        }
        Duration waited = context.waitedForAgent();
        if (waited.compareTo(timeout.dividedBy(2)) >= 0) {
            return agentBusy("waited " + format(waited.truncatedTo(ChronoUnit.MILLIS)) + " of its " + format(timeout)
                    + " for " + context.lastAgentWait() + ", then ran out of time");
        }
        if (stalled(stalled, timeout)) {
            return stalledAgent(stalled, timeout);
        }
        return new Attempt(
                Outcome.TIMEOUT,
                new CheckResult(Status.CRITICAL, Reason.TIMEOUT, "no result within " + format(timeout), "", List.of()));
    }

    /** Whether the agent stalled for at least half of {@code timeout}: the target then had less than half its time. */
    private static boolean stalled(Duration stalled, Duration timeout) {
        return stalled.compareTo(timeout.dividedBy(2)) >= 0;
    }

    private static Attempt stalledAgent(Duration stalled, Duration timeout) {
        return agentBusy("the agent could not run for " + format(stalled.truncatedTo(ChronoUnit.MILLIS)) + " of its "
                + format(timeout) + " (a long garbage-collection pause, or the process stopped or starved of CPU)");
    }

    private static Attempt agentBusy(String what) {
        return new Attempt(
                Outcome.UNKNOWN,
                CheckResult.unknown(Reason.AGENT_BUSY, what + ": the agent was busy, the target is not to blame"));
    }

    private static CompletionStage<CheckResult> start(CheckSettings check, Target target, RunContext context) {
        try {
            CompletionStage<CheckResult> stage = check.definition().run(target, context);
            return stage != null
                    ? stage
                    : CompletableFuture.failedFuture(new NullPointerException("run returned null instead of a stage"));
        } catch (RuntimeException | Error e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * What the plugin's stage ended with. A timeout the plugin reports itself (its own timer, bounded by the same
     * deadline) follows the deadline's rule for a stalled agent.
     */
    private Attempt toAttempt(
            CheckSettings check,
            Target target,
            CheckResult checkResult,
            Throwable error,
            RunContext context,
            Duration timeout,
            StallMeter.Mark stallMark) {
        if (error == null && checkResult != null) {
            CheckResult bounded = bound(checkResult);
            Outcome outcome =
                    bounded.reason() == Reason.TIMEOUT && !bounded.status().isUp()
                            ? Outcome.TIMEOUT
                            : Outcome.of(bounded.status());
            if (outcome == Outcome.TIMEOUT) {
                Duration stalled = stalls.stalledWithin(stallMark, timeout);
                if (stalled(stalled, timeout)) {
                    return stalledAgent(stalled, timeout);
                }
            }
            return new Attempt(outcome, bounded, context.throttle(), context.reportedRemaining());
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause == null) {
            cause = new NullPointerException("the stage completed with a null result");
        }
        metrics.pluginError(check.type());
        logger.atError()
                .setCause(cause)
                .addKeyValue("check", check.name())
                .addKeyValue("target", target.name())
                .addKeyValue("type", check.type())
                .log("Check plugin failed; the run counts as UNKNOWN");
        return new Attempt(
                Outcome.ERROR,
                CheckResult.unknown(
                        Reason.PLUGIN_ERROR, truncate("plugin error: " + cause, RunLimits.MAX_SUMMARY_CHARS)));
    }

    private static CheckResult bound(CheckResult result) {
        if (result.summary().length() <= RunLimits.MAX_SUMMARY_CHARS
                && result.output().length() <= RunLimits.MAX_OUTPUT_CHARS) {
            return result;
        }
        return new CheckResult(
                result.status(),
                result.reason(),
                truncate(result.summary(), RunLimits.MAX_SUMMARY_CHARS),
                truncate(result.output(), RunLimits.MAX_OUTPUT_CHARS),
                result.samples());
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static void cancelQuietly(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException e) {
            // A minimal stage cannot be cancelled; the plugin stops on context.cancelled() instead.
        }
    }

    static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }

    /**
     * Ends every attempt in flight at once with {@link #SHUTDOWN}, before cancelling its plugin, so that no plugin's
     * reaction to the cancel (a timeout, an error) is taken for the target's result; stops accepting new ones.
     */
    @Override
    public void close() {
        closed = true;
        active.values().forEach(Runnable::run);
        stalls.close();
        timer.shutdown();
        blocking.shutdownNow();
    }

    boolean awaitTermination(long time, TimeUnit unit) throws InterruptedException {
        return timer.awaitTermination(time, unit);
    }
}
