package dev.patrol.core.engine;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.SshSessions;
import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.config.LimitsSettings;
import dev.patrol.core.metrics.AgentMetrics;
import dev.patrol.core.metrics.SampleLimits;
import dev.patrol.core.ratelimit.RateLimitMetrics;
import dev.patrol.core.ratelimit.RateLimitSettings;
import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.RunRecord;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.state.SeriesState;
import dev.patrol.core.state.SkipReason;
import dev.patrol.transport.http.HttpClientPool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs checks: single-flight per (check, target), concurrency limits, a deadline per attempt, retries with backoff,
 * and every failure turned into a result. {@link #fire} returns at once; the work happens on the plugins' I/O threads
 * and the engine's deadline timer, so a scheduler thread never waits for a target.
 *
 * <p>Thread-safe.
 */
public final class CheckEngine implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(CheckEngine.class);

    private final ResultStore store;
    private final AgentMetrics metrics;
    private final ConcurrencyLimits limits;
    private final AttemptRunner attempts;
    private final CheckLoggers checkLoggers = new CheckLoggers();
    private final TransitionLog transitions = new TransitionLog(checkLoggers);
    private final Set<SeriesKey> inFlight = ConcurrentHashMap.newKeySet();
    private volatile RunObserver observer = (check, target, run) -> {};
    private final RateLimitGate rateLimits;

    public CheckEngine(
            LimitsSettings limitsSettings,
            HttpClientPool http,
            SshSessions ssh,
            ResultStore store,
            AgentMetrics metrics,
            Clock clock) {
        this(limitsSettings, http, ssh, store, metrics, clock, StallMeter.start());
    }

    /** An engine whose measure of the agent's own stalls is {@code stalls} (tests give one on a clock of theirs). */
    CheckEngine(
            LimitsSettings limitsSettings,
            HttpClientPool http,
            SshSessions ssh,
            ResultStore store,
            AgentMetrics metrics,
            Clock clock,
            StallMeter stalls) {
        this.store = store;
        this.metrics = metrics;
        this.limits = new ConcurrencyLimits(limitsSettings);
        this.attempts =
                new AttemptRunner(http, ssh, metrics, clock, limitsSettings.blockingThreads(), checkLoggers, stalls);
        this.rateLimits = new RateLimitGate(store, attempts::schedule);
    }

    /** Where checks keep files across restarts ({@code patrol.state-dir}); set at start and on reload. */
    public void updateStateDir(java.nio.file.Path stateDir) {
        attempts.stateDir(stateDir);
    }

    /**
     * How long the agent could not run since it started, in seconds: garbage-collection pauses, the process stopped or
     * starved of CPU, as a thread waking every 250 ms measures them.
     */
    public double stalledSeconds() {
        return attempts.stalledSeconds();
    }

    /** Told of every scheduled run's result once it is in the store (soft/hard states, actions). */
    public void observe(RunObserver newObserver) {
        this.observer = newObserver;
    }

    public void updateLimits(LimitsSettings newLimits) {
        limits.update(newLimits);
    }

    /** Replaces the {@code patrol.rate-limits}; buckets of unchanged limits keep their tokens. */
    public void updateRateLimits(Map<String, RateLimitSettings> newLimits) {
        rateLimits.update(newLimits);
    }

    /** The {@code patrol_rate_limit_*} metrics, for the agent to register. */
    public RateLimitMetrics rateLimitMetrics() {
        return rateLimits.metrics();
    }

    /** Runs in flight right now (the value of {@code patrol_checks_in_flight}). */
    public int inFlight() {
        return limits.inFlight();
    }

    /**
     * Starts a scheduled run of {@code check} against {@code target} unless the previous one is still running or a
     * limit is full; either way it returns at once. The result lands in the {@link ResultStore}.
     */
    public void fire(CheckSettings check, Target target) {
        SeriesKey key = new SeriesKey(check.name(), target.name());
        Optional<SeriesState> registered = store.get(key);
        if (registered.isEmpty()) {
            return; // removed by a reload between the trigger and now
        }
        if (!inFlight.add(key)) {
            registered.get().recordSkip(SkipReason.OVERLAP);
            return;
        }
        if (!rateLimits.checkPause(check, target).isZero()) {
            inFlight.remove(key); // the target said Retry-After and the check names no limit
            registered.get().recordSkip(SkipReason.RATE_LIMIT);
            return;
        }
        Duration wait = rateLimits.reserve(check, target);
        if (wait == null) {
            inFlight.remove(key);
            registered.get().recordSkip(SkipReason.RATE_LIMIT);
            return;
        }
        if (wait.isZero()) {
            start(check, target, key, check.timeout());
        } else if (!attempts.schedule(
                () -> start(check, target, key, check.timeout().minus(wait)), wait)) {
            inFlight.remove(key); // shutting down
        }
    }

    private void start(CheckSettings check, Target target, SeriesKey key, Duration firstTimeout) {
        Optional<SeriesState> registered = store.get(key);
        if (registered.isEmpty()) {
            inFlight.remove(key);
            return;
        }
        if (!limits.tryAcquire(check.name(), target.host())) {
            inFlight.remove(key);
            registered.get().recordSkip(SkipReason.LIMIT);
            return;
        }
        run(check, target, firstTimeout, true).whenComplete((record, error) -> {
            limits.release(check.name(), target.host());
            inFlight.remove(key);
            if (attempts.isClosed()) {
                return; // the agent is stopping: a run it cut short says nothing about the target
            }
            if (record == null && error == null) {
                store.get(key).ifPresent(state -> state.recordSkip(SkipReason.RATE_LIMIT));
            } else if (record != null && record.result().reason() == Reason.AGENT_BUSY) {
                // Out of time in the agent's own queues: the agent's fault, no state change, no action.
                store.get(key).ifPresent(state -> state.recordSkip(SkipReason.AGENT_BUSY));
            } else if (record != null) {
                // Record into the state registered now: a reload may have replaced it while the run was in flight.
                store.get(key).ifPresent(state -> {
                    transitions.log(state.last(), record);
                    state.record(record);
                    notifyObserver(check, target, record);
                });
            } else {
                logger.atError()
                        .setCause(error)
                        .addKeyValue("check", check.name())
                        .addKeyValue("target", target.name())
                        .log("Engine failed to finish a run");
            }
        });
    }

    private void notifyObserver(CheckSettings check, Target target, RunRecord record) {
        try {
            observer.recorded(check, target, record);
        } catch (RuntimeException e) {
            logger.atError()
                    .setCause(e)
                    .addKeyValue("check", check.name())
                    .addKeyValue("target", target.name())
                    .log("State tracking failed on a result");
        }
    }

    /**
     * Runs {@code check} against {@code target} now, with retries, outside single-flight and limits; what
     * {@code patrol test-check} uses. Never completes exceptionally.
     */
    public CompletableFuture<RunRecord> run(CheckSettings check, Target target) {
        return run(check, target, check.timeout(), false);
    }

    /** With {@code skipWhenThrottled}, a run the plugin asked to skip completes with null. */
    private CompletableFuture<RunRecord> run(
            CheckSettings check, Target target, Duration firstTimeout, boolean skipWhenThrottled) {
        CompletableFuture<RunRecord> done = new CompletableFuture<>();
        Instant start = attempts.clock().instant();
        attempt(check, target, 1, firstTimeout, skipWhenThrottled, start, System.nanoTime(), done);
        return done;
    }

    private void attempt(
            CheckSettings check,
            Target target,
            int attempt,
            Duration timeout,
            boolean skipWhenThrottled,
            Instant start,
            long startNanos,
            CompletableFuture<RunRecord> done) {
        attempts.attempt(check, target, timeout, budget -> rateLimits.permit(check, target, budget))
                .whenComplete((outcome, error) -> {
                    if (error != null) {
                        // AttemptRunner never fails its future; this guards against a bug there costing a run.
                        outcome = new Attempt(
                                Outcome.ERROR, CheckResult.unknown(Reason.PLUGIN_ERROR, "engine error: " + error));
                    }
                    rateLimits.answered(check, target, outcome.remaining());
                    if (outcome.throttle() != null) {
                        rateLimits.throttled(check, target, outcome.throttle().pause());
                        if (outcome.throttle().skipRun() && skipWhenThrottled) {
                            done.complete(null); // the caller records a rate_limit skip
                            return;
                        }
                    }
                    if (outcome.retryable()
                            && outcome.throttle() == null
                            && attempt <= check.retries()
                            && !attempts.isClosed()) {
                        Duration backoff = backoff(check.retryInterval(), attempt);
                        Duration wait = rateLimits.reserve(check, target); // a retry is a request too
                        Duration delay = wait == null || wait.compareTo(backoff) < 0 ? backoff : wait;
                        if (wait != null
                                && attempts.schedule(
                                        () -> attempt(
                                                check,
                                                target,
                                                attempt + 1,
                                                check.timeout(),
                                                skipWhenThrottled,
                                                start,
                                                startNanos,
                                                done),
                                        delay)) {
                            return;
                        }
                    }
                    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
                    done.complete(new RunRecord(
                            check.name(),
                            target.name(),
                            outcome.outcome(),
                            capSamples(outcome.result()),
                            start,
                            took,
                            attempt));
                });
    }

    /** The retry interval, doubled for each retry after the first, capped at ten times the base. */
    static Duration backoff(Duration base, int attempt) {
        long factor = 1L << Math.min(attempt - 1, 20);
        Duration delay = base.multipliedBy(factor);
        Duration cap = base.multipliedBy(10);
        return delay.compareTo(cap) > 0 ? cap : delay;
    }

    /** The result with only the samples within {@link SampleLimits}, and a note in its summary on what was left out. */
    private CheckResult capSamples(CheckResult result) {
        SampleLimits.Applied applied = SampleLimits.apply(result.samples());
        if (applied.dropped().isEmpty()) {
            return result;
        }
        applied.dropped().forEach(metrics::samplesDropped);
        String note = "[" + applied.note() + "]";
        return new CheckResult(
                result.status(),
                result.reason(),
                result.summary().isEmpty() ? note : result.summary() + " " + note,
                result.output(),
                applied.kept());
    }

    /**
     * Cancels every attempt in flight and stops the timers. Runs cut short this way are not recorded: they change no
     * state, log no state change and notify no observer.
     */
    @Override
    public void close() {
        attempts.close();
        try {
            attempts.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
