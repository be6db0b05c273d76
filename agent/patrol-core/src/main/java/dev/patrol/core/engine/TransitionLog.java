package dev.patrol.core.engine;

import dev.patrol.api.Status;
import dev.patrol.core.state.RunRecord;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Logs a line when a (check, target) changes status, and only then: a target failing every 15 s is one WARN line
 * when it starts failing and one INFO line when it recovers, not a line per run. Per-run detail is at DEBUG on the
 * check's own logger, {@code patrol.check.<name>}.
 *
 * <p>A check that has not run yet has no status: its first result is logged as a change {@code from="pending"}, and
 * only when it is not OK, so that a start or a reload adds no line per healthy check and no false "ok to critical".
 */
final class TransitionLog {
    private static final Logger logger = LoggerFactory.getLogger("patrol.state");
    /** The {@code from} of a first result: the series had no status before it. */
    static final String PENDING = "pending";

    private final CheckLoggers checkLoggers;

    TransitionLog(CheckLoggers checkLoggers) {
        this.checkLoggers = checkLoggers;
    }

    void log(Optional<RunRecord> previous, RunRecord current) {
        Status now = current.result().status();
        Status before = previous.map(run -> run.result().status()).orElse(null);
        Logger checkLogger = checkLoggers.of(current.check()).engine();
        if (checkLogger.isDebugEnabled()) {
            checkLogger
                    .atDebug()
                    .addKeyValue("target", current.target())
                    .addKeyValue("result", current.outcome().label())
                    .addKeyValue("duration_seconds", current.duration().toNanos() / 1e9)
                    .log("Run finished: \"{}\"", current.result().summary());
        }
        if (now == before || (before == null && now == Status.OK)) {
            return;
        }
        Level level = now.isUp() && before != null && now.code() <= before.code() ? Level.INFO : Level.WARN;
        logger.atLevel(level)
                .addKeyValue("check", current.check())
                .addKeyValue("target", current.target())
                .addKeyValue("from", before == null ? PENDING : before.label())
                .addKeyValue("to", now.label())
                .addKeyValue("reason", current.result().reason().label())
                .log("Check changed state: \"{}\"", current.result().summary());
    }
}
