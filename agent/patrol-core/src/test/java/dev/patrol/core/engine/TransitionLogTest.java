package dev.patrol.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TransitionLogTest {
    private final TransitionLog transitions = new TransitionLog(new CheckLoggers());
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger stateLogger = (Logger) LoggerFactory.getLogger("patrol.state");

    @BeforeEach
    void capture() {
        lines.start();
        stateLogger.addAppender(lines);
    }

    @AfterEach
    void release() {
        stateLogger.detachAppender(lines);
    }

    private static RunRecord run(CheckResult result) {
        return new RunRecord(
                "homepage", "web-1", Outcome.of(result.status()), result, Instant.EPOCH, Duration.ofMillis(5), 1);
    }

    private static Map<String, Object> keyValues(ILoggingEvent event) {
        return event.getKeyValuePairs().stream().collect(Collectors.toMap(pair -> pair.key, pair -> pair.value));
    }

    @Test
    void aFirstFailureIsAChangeFromPendingNotFromOk() {
        transitions.log(Optional.empty(), run(CheckResult.critical(Reason.STATUS_MISMATCH, "HTTP 404")));

        assertThat(lines.list).hasSize(1);
        ILoggingEvent line = lines.list.get(0);
        assertThat(line.getLevel()).isEqualTo(Level.WARN);
        assertThat(keyValues(line))
                .containsEntry("from", "pending")
                .containsEntry("to", "critical")
                .containsEntry("reason", "status_mismatch");
    }

    @Test
    void aFirstOkIsNotLogged() {
        transitions.log(Optional.empty(), run(CheckResult.ok("HTTP 200")));

        assertThat(lines.list).isEmpty();
    }

    @Test
    void laterChangesNameTheStatusBefore() {
        RunRecord ok = run(CheckResult.ok("HTTP 200"));
        RunRecord critical = run(CheckResult.critical(Reason.TIMEOUT, "no result within 10s"));

        transitions.log(Optional.of(ok), ok);
        transitions.log(Optional.of(ok), critical);
        transitions.log(Optional.of(critical), ok);

        assertThat(lines.list)
                .extracting(line -> line.getLevel() + " " + keyValues(line).get("from") + ">"
                        + keyValues(line).get("to"))
                .containsExactly("WARN ok>critical", "INFO critical>ok");
    }
}
