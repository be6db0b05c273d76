package dev.patrol.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Sample;
import dev.patrol.api.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a pair keeps of its runs: the last one whole, a bounded history of summaries. */
class SeriesStateTest {
    private final SeriesState pair = new SeriesState(
            new SeriesKey("disk", "web-1"), "ssh-command", Map.of(), Duration.ofSeconds(30), Duration.ofSeconds(10));

    private static RunRecord run(int i, Status status) {
        CheckResult result = new CheckResult(
                status,
                status == Status.OK ? Reason.NONE : Reason.CHECK_FAILED,
                "run " + i,
                "a long output " + "x".repeat(1000),
                List.of(Sample.gauge("used_ratio", i)));
        return new RunRecord("disk", "web-1", Outcome.of(status), result, Instant.ofEpochSecond(i), Duration.ZERO, 1);
    }

    @Test
    void theLastRunKeepsItsOutputAndSamplesTheHistoryOnlyItsSummary() {
        for (int i = 1; i <= 25; i++) {
            pair.record(run(i, i % 5 == 0 ? Status.CRITICAL : Status.OK));
        }

        RunRecord last = pair.last().orElseThrow();
        assertThat(last.result().output()).startsWith("a long output");
        assertThat(last.result().samples()).hasSize(1);
        assertThat(pair.history()).hasSize(SeriesState.HISTORY);
        assertThat(pair.history().get(0).result().summary()).isEqualTo("run 25");
        assertThat(pair.failures())
                .extracting(run -> run.result().summary())
                .containsExactly("run 25", "run 20", "run 15", "run 10", "run 5");
        assertThat(pair.history()).allSatisfy(run -> {
            assertThat(run.result().output()).isEmpty();
            assertThat(run.result().samples()).isEmpty();
        });
        assertThat(pair.failures())
                .allSatisfy(run -> assertThat(run.result().status()).isEqualTo(Status.CRITICAL));
    }

    @Test
    void aRunWithNothingToDropIsKeptAsItIs() {
        RunRecord bare =
                new RunRecord("disk", "web-1", Outcome.OK, CheckResult.ok("fine"), Instant.EPOCH, Duration.ZERO, 1);

        assertThat(bare.summaryOnly()).isSameAs(bare);
    }

    @Test
    void theHistoryGivesBackEachRunsTimingOutcomeAndAttemptsExactly() {
        Instant started = Instant.parse("2026-12-02T21:30:15.123456789Z");
        CheckResult result = new CheckResult(Status.CRITICAL, Reason.TIMEOUT, "no result within 5s", "", List.of());
        RunRecord run =
                new RunRecord("disk", "web-1", Outcome.TIMEOUT, result, started, Duration.ofNanos(5_000_000_321L), 3);

        pair.record(run);

        assertThat(pair.history()).containsExactly(run);
        assertThat(pair.failures()).containsExactly(run);
    }

    @Test
    void runsThatSayTheSameThingShareOneResultInTheHistory() {
        for (int i = 0; i < 5; i++) {
            // Alternating between two texts: each is found among the kept runs, not only in the newest.
            String text = i % 2 == 0 ? "HTTP 200 in 1 ms (200 expected)" : "HTTP 200 in 2 ms (200 expected)";
            CheckResult same =
                    new CheckResult(Status.OK, Reason.NONE, new String(text), "", List.of(Sample.gauge("x", i)));
            pair.record(new RunRecord("disk", "web-1", Outcome.OK, same, Instant.ofEpochSecond(i), Duration.ZERO, 1));
        }
        pair.record(run(9, Status.CRITICAL));

        List<RunRecord> history = pair.history();
        assertThat(history).hasSize(6);
        assertThat(history.get(0).result().summary()).isEqualTo("run 9");
        List<CheckResult> oneMs = history.stream()
                .map(RunRecord::result)
                .filter(result -> result.summary().contains("in 1 ms"))
                .toList();
        List<CheckResult> twoMs = history.stream()
                .map(RunRecord::result)
                .filter(result -> result.summary().contains("in 2 ms"))
                .toList();
        assertThat(oneMs).hasSize(3).allSatisfy(result -> assertThat(result).isSameAs(oneMs.get(0)));
        assertThat(twoMs).hasSize(2).allSatisfy(result -> assertThat(result).isSameAs(twoMs.get(0)));
        assertThat(history)
                .extracting(RunRecord::startedAt)
                .containsExactly(
                        Instant.ofEpochSecond(9),
                        Instant.ofEpochSecond(4),
                        Instant.ofEpochSecond(3),
                        Instant.ofEpochSecond(2),
                        Instant.ofEpochSecond(1),
                        Instant.ofEpochSecond(0));
    }
}
