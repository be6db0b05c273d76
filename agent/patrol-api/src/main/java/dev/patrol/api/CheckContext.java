package dev.patrol.api;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * What the agent hands one run of a check: its deadline and cancellation signal, shared clients, a logger and a clock.
 * A plugin knows the agent only through this interface.
 *
 * <pre>{@code
 * HttpClient client = context.http(HttpClientOptions.defaults());
 * return client.sendAsync(request, handler)
 *         .thenApply(this::toResult);
 * // and stop the exchange when the run is cancelled:
 * context.cancelled().thenRun(() -> future.cancel(true));
 * }</pre>
 *
 * <p>Implementations are thread-safe; one context belongs to one run.
 */
public interface CheckContext {

    /** The check's name, from {@code patrol.checks.<name>}. */
    String check();

    /** When this run is cut off; derived from the check's {@code timeout}. */
    Instant deadline();

    /** Time left until {@link #deadline()}, never negative. */
    default Duration remaining() {
        Duration left = Duration.between(clock().instant(), deadline());
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * Completes when the run must stop: its deadline passed, or the agent is shutting down. Plugins close what they
     * opened (connection, channel, request) when it does. The engine records the timeout itself.
     */
    CompletionStage<Void> cancelled();

    Clock clock();

    /** A logger named {@code patrol.check.<check>}; log at DEBUG per run, never a secret. */
    System.Logger log();

    /**
     * A shared, pooled HTTP client for these options. Connections are kept alive across runs; the same options
     * always return the same client, so a plugin must not cache clients itself.
     */
    HttpClient http(HttpClientOptions options);

    /** A bounded executor for plugin code that has to block; never block the thread that calls {@code run}. */
    Executor blockingExecutor();

    /**
     * Tells the agent that the target refused this run's request as too frequent (HTTP 429, or 503 with
     * {@code Retry-After}) and asked for no more requests for {@code pause}. The agent pauses the check's
     * {@code rate-limit} for that long (or, for a check without one, this check on this target); fires within the pause
     * are skipped with {@code reason="rate_limit"}, the run is not retried, and
     * {@code patrol_http_throttled_total{check,target}} counts the call. With {@code skipRun} the agent records this run
     * as skipped too, whatever the plugin returns, so that it never counts as the target's failure; without, the
     * plugin's result is recorded as usual. Call it at most once per run, before completing the stage; a zero pause
     * only counts and skips. The default does nothing (contexts outside the engine).
     */
    default void throttled(Duration pause, boolean skipRun) {}

    /**
     * Tells the agent how many requests the target still allows ({@code X-RateLimit-Remaining},
     * {@code RateLimit-Remaining}) until its window resets in {@code untilReset} (null when the response did not say),
     * so that the check's {@code rate-limit} slows down before the target says no: it hands out at most
     * {@code remaining} more requests (less those sent since this one) before the reset and pauses until then once they
     * are spent; without a reset it only caps its tokens at {@code remaining}. A check without a limit is paused on
     * this target until the reset when {@code remaining} is 0. The last call of a run counts. The default does
     * nothing.
     */
    default void rateLimitRemaining(long remaining, Duration untilReset) {}

    /**
     * Takes a token of the check's {@code rate-limit} for a further request within this run, such as the next page of
     * a paginated answer; the run's first request took its token before {@code run} was called. Completes with
     * {@code true} when the request may go (after a wait on a timer, no thread held), or {@code false} when no token
     * comes within half the time left before the deadline, in which case the plugin sends nothing more. A check
     * without a limit gets {@code true} at once, as does the default.
     */
    default CompletionStage<Boolean> nextRequest() {
        return java.util.concurrent.CompletableFuture.completedFuture(true);
    }

    /**
     * Marks this run as waiting for the agent's own resources, not for the target: an SSH handshake slot
     * ({@code patrol.limits.max-ssh-handshakes}) or a free channel on a shared connection. Call the returned action
     * when the wait ends (calling it again does nothing). A run whose deadline passes while any such wait is open,
     * or that spent at least half its timeout in such waits, is recorded by the agent as skipped with
     * {@code reason="agent_busy"}, never as the target's timeout. The SSH sessions call this themselves; a plugin
     * only needs it for a queue of its own. The default does nothing.
     *
     * @param what the resource, for people: "an SSH handshake slot"
     */
    default Runnable waitingForAgent(String what) {
        return () -> {};
    }

    /** The agent's pooled SSH sessions, for checks that run commands on targets. */
    default SshSessions ssh() {
        throw new UnsupportedOperationException("this context offers no SSH sessions");
    }

    /**
     * The agent's state directory ({@code patrol.state-dir}), where a check may keep files that must survive a
     * restart, under a directory named after the plugin's type and the check, such as {@code spool/<check>/}.
     */
    default Path stateDir() {
        throw new UnsupportedOperationException("this context offers no state directory");
    }
}
