package dev.patrol.core.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP handling. The JDK has no public API for signals; {@code sun.misc.Signal} (module jdk.unsupported) is what
 * Java daemons use, and it is kept precisely for this.
 */
final class Signals {
    private static final Logger logger = LoggerFactory.getLogger(Signals.class);

    private Signals() {}

    static void onHangup(Runnable action) {
        try {
            Signal.handle(new Signal("HUP"), signal -> {
                // Signal handlers run on a JVM thread that must not die; a reload failure is already logged.
                try {
                    action.run();
                } catch (RuntimeException e) {
                    logger.atError().setCause(e).log("Reload on SIGHUP failed");
                }
            });
        } catch (IllegalArgumentException e) {
            logger.atWarn().log("SIGHUP is not available on this platform; use POST /-/reload");
        }
    }
}
