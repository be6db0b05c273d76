package dev.patrol.core.engine;

import dev.patrol.api.Status;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Logs a line when a (check, target) changes status, and only then: a target failing every 15 s is one WARN line
 * when it starts failing and one INFO line when it recovers, not a line per run. Per-run detail is at DEBUG on the
 * check's own logger, {@code patrol.check.<name>}.
 */
final class TransitionLog {
    private static final Logger logger = LoggerFactory.getLogger("patrol.state");

    /** Per-check loggers; a lookup by name on every run showed up in profiles at thousands of runs a second. */
    private final Map<String, Logger> checkLoggers = new ConcurrentHashMap<>();

    void log(Optional<RunRecord> previous, RunRecord current) {
        Status now = current.result().status();
        Status before = previous.map(run -> run.result().status()).orElse(Status.OK);
        Logger checkLogger = checkLoggers.computeIfAbsent(
                current.check(), check -> LoggerFactory.getLogger("patrol.check." + check));
        if (checkLogger.isDebugEnabled()) {
            checkLogger
                    .atDebug()
                    .addKeyValue("target", current.target())
                    .addKeyValue("result", current.outcome().label())
                    .addKeyValue("duration_seconds", current.duration().toNanos() / 1e9)
                    .log("Run finished: \"{}\"", current.result().summary());
        }
        if (now == before) {
            return;
        }
        Level level = now.isUp() && now.code() <= before.code() ? Level.INFO : Level.WARN;
        logger.atLevel(level)
                .addKeyValue("check", current.check())
                .addKeyValue("target", current.target())
                .addKeyValue("from", before.label())
                .addKeyValue("to", now.label())
                .addKeyValue("reason", current.result().reason().label())
                .log("Check changed state: \"{}\"", current.result().summary());
    }
}
