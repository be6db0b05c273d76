package dev.patrol.core.demo;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo's flaky service, there to show a remediation: {@code check_worker} reports the worker running for
 * {@link #LIFETIME} after each start, then crashed (CRITICAL) until {@code restart_worker} starts it again, which is
 * what the demo's {@code restart-worker} action runs.
 *
 * <p>Thread-safe: the start time is an atomic reference.
 */
final class DemoWorker {
    /** How long the worker runs before it crashes. */
    static final Duration LIFETIME = Duration.ofSeconds(45);

    private final Clock clock;
    private final AtomicReference<Instant> started;

    DemoWorker(Clock clock) {
        this.clock = clock;
        this.started = new AtomicReference<>(clock.instant());
    }

    Map<String, DemoPrograms.Program> programs() {
        return Map.of("check_worker", this::check, "restart_worker", this::restart);
    }

    int check(PrintStream out, PrintStream err) {
        long up = Duration.between(started.get(), clock.instant()).toSeconds();
        if (up >= LIFETIME.toSeconds()) {
            out.println("WORKER CRITICAL - the worker process is not running (crashed " + (up - LIFETIME.toSeconds())
                    + " s ago)");
            return 2;
        }
        out.println("WORKER OK - the worker has been running for " + up + " s|uptime=" + up + "s");
        return 0;
    }

    int restart(PrintStream out, PrintStream err) {
        started.set(clock.instant());
        out.println("worker restarted");
        return 0;
    }
}
