package dev.patrol.core.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP handling. The JDK has no public API for signals; {@code sun.misc.Signal} (module jdk.unsupported) is what
 * Java daemons use, and it is kept precisely for this.
 *
 * <p>The JVM's own reaction to SIGHUP is to exit. A command catches it with {@link #catchHangups} before it starts
 * anything that can be seen from outside (the endpoint's {@code /-/ready}), so that a reload sent as soon as the agent
 * answers, as {@code systemctl reload} or a test may, never stops it; a hangup that arrives before {@link #onHangup}
 * names what to do is remembered and acted on then.
 */
final class Signals {
    private static final Logger logger = LoggerFactory.getLogger(Signals.class);
    private static final AtomicReference<Runnable> action = new AtomicReference<>();
    private static final AtomicBoolean missed = new AtomicBoolean();
    private static final AtomicBoolean caught = new AtomicBoolean();

    private Signals() {}

    /** Takes SIGHUP from the JVM from now on; until {@link #onHangup}, a hangup is only remembered. */
    static void catchHangups() {
        if (!caught.compareAndSet(false, true)) {
            return;
        }
        try {
            SignalHandler before = Signal.handle(new Signal("HUP"), signal -> {
                Runnable current = action.get();
                if (current != null) {
                    run(current);
                    return;
                }
                missed.set(true);
                // onHangup may have set its action since the first read, and checked missed before it was set:
                // whichever of the two clears missed runs the action, so a hangup is acted on exactly once.
                current = action.get();
                if (current != null && missed.compareAndSet(true, false)) {
                    run(current);
                }
            });
            if (before == SignalHandler.SIG_IGN) {
                // A parent that ignores SIGHUP (nohup, some supervisors) passes that on, and the JVM keeps an
                // ignored signal ignored: the handler above is never installed, and kill -HUP does nothing.
                logger.atWarn()
                        .log("SIGHUP was ignored when Patrol started (run under nohup?), so it cannot reload on"
                                + " SIGHUP; use POST /-/reload");
            }
        } catch (IllegalArgumentException e) {
            logger.atWarn().log("SIGHUP is not available on this platform; use POST /-/reload");
        }
    }

    /** Runs {@code hangup} on every SIGHUP from now on, and once now if one came since {@link #catchHangups}. */
    static void onHangup(Runnable hangup) {
        catchHangups();
        action.set(hangup);
        if (missed.compareAndSet(true, false)) {
            run(hangup);
        }
    }

    private static void run(Runnable hangup) {
        // Signal handlers run on a JVM thread that must not die; a reload failure is already logged.
        try {
            hangup.run();
        } catch (RuntimeException e) {
            logger.atError().setCause(e).log("Reload on SIGHUP failed");
        }
    }
}
