package dev.patrol.core.engine;

import static dev.patrol.core.engine.EngineFixtures.LIMITS;
import static dev.patrol.core.engine.EngineFixtures.check;
import static dev.patrol.core.engine.EngineFixtures.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Status;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.metrics.AgentMetrics;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.RunRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every failed run says why: {@link Reason#NONE} belongs to OK results only, the engine's own included. */
class FailureReasonTest {
    private final CheckEngine engine =
            new CheckEngine(LIMITS, null, null, new ResultStore(), new AgentMetrics(() -> 0), Clock.systemUTC());

    @AfterEach
    void close() {
        engine.close();
    }

    private RunRecord runNow(CheckSettings check) throws Exception {
        return engine.run(check, check.targets().get(0)).get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Status.class,
            names = {"OK"},
            mode = EnumSource.Mode.EXCLUDE)
    void aResultThatDidNotPassNeedsAReason(Status status) {
        assertThatThrownBy(() -> new CheckResult(status, Reason.NONE, "no reason", "", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reason other than NONE");
        assertThat(new CheckResult(status, Reason.CHECK_FAILED, "why", "", List.of()).reason())
                .isEqualTo(Reason.CHECK_FAILED);
    }

    @Test
    void aPluginThatFailsWithoutAReasonIsAPluginError() throws Exception {
        RunRecord run = runNow(check(
                "no-reason",
                (t, c) -> CompletableFuture.completedFuture(CheckResult.critical(Reason.NONE, "down")),
                Duration.ofSeconds(5),
                0,
                target("a")));

        assertThat(run.result().status()).isEqualTo(Status.UNKNOWN);
        assertThat(run.result().reason()).isEqualTo(Reason.PLUGIN_ERROR);
    }

    @Test
    void aRunRefusedWhileShuttingDownIsNotRun() throws Exception {
        engine.close();

        RunRecord run = runNow(check(
                "late",
                (t, c) -> CompletableFuture.completedFuture(CheckResult.ok("must not run")),
                Duration.ofSeconds(5),
                0,
                target("a")));

        assertThat(run.result().status()).isEqualTo(Status.UNKNOWN);
        assertThat(run.result().reason()).isEqualTo(Reason.NOT_RUN);
        assertThat(run.result().summary()).isEqualTo("agent is shutting down");
    }
}
