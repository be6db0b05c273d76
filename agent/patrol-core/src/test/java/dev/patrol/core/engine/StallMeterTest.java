package dev.patrol.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The stall meter's arithmetic on a clock the test moves, and its thread on the real one. */
class StallMeterTest {
    /** Longer than any stall below, so that only the tests about the deadline reach it. */
    private static final Duration LONG = Duration.ofMinutes(5);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final StallMeter meter = new StallMeter(now::get);

    private void sleep(Duration slept) {
        now.addAndGet(slept.toNanos());
    }

    /** The meter's thread wakes after {@code slept}. */
    private void wake(Duration slept) {
        sleep(slept);
        meter.tick();
    }

    @Test
    void wakingOnTimeOrALittleLateIsNoStall() {
        StallMeter.Mark mark = meter.mark();
        for (int i = 0; i < 50; i++) {
            wake(StallMeter.PERIOD.plus(StallMeter.NOISE)); // jitter up to the noise, every time
        }

        assertThat(meter.stalledWithin(mark, LONG)).isZero();
        assertThat(meter.stalledSeconds()).isZero();
    }

    @Test
    void aWakeUpLateBeyondTheNoiseCountsAllItsLateness() {
        wake(StallMeter.PERIOD);
        StallMeter.Mark mark = meter.mark();

        wake(Duration.ofMillis(3_250)); // e.g. a 3 s stop-the-world pause

        assertThat(meter.stalledWithin(mark, LONG)).isEqualTo(Duration.ofMillis(3_000));
        assertThat(meter.stalledSeconds()).isEqualTo(3.0);
    }

    @Test
    void aStallStillInProgressCountsBeforeTheMetersThreadHasRun() {
        // After SIGCONT the deadline timer may run before the meter's thread: the overdue wake-up is a stall already.
        StallMeter.Mark mark = meter.mark();
        sleep(Duration.ofSeconds(8));

        assertThat(meter.stalledWithin(mark, LONG)).isEqualTo(Duration.ofMillis(7_750));

        meter.tick(); // the meter's thread catches up: the same stall, counted once
        assertThat(meter.stalledWithin(mark, LONG)).isEqualTo(Duration.ofMillis(7_750));
        wake(StallMeter.PERIOD);
        assertThat(meter.stalledWithin(mark, LONG)).isEqualTo(Duration.ofMillis(7_750));
    }

    @Test
    void aStallBeforeTheMarkIsNotCountedAfterIt() {
        wake(Duration.ofSeconds(5));
        StallMeter.Mark mark = meter.mark();

        wake(StallMeter.PERIOD);
        wake(StallMeter.PERIOD);

        assertThat(meter.stalledWithin(mark, LONG)).isZero();
        assertThat(meter.stalledSeconds()).isEqualTo(4.75);
    }

    @Test
    void onlyTheStallBeforeTheDeadlineIsTheRuns() {
        // A run with a 4 s timeout; the agent stops 1 s in and resumes 9 s later, 6 s past the deadline: at most the
        // 3 s before the deadline were taken from the target, of which the meter sees those after its planned wake-up.
        Duration timeout = Duration.ofSeconds(4);
        StallMeter.Mark mark = meter.mark();
        wake(StallMeter.PERIOD);
        wake(StallMeter.PERIOD);
        wake(StallMeter.PERIOD);
        wake(StallMeter.PERIOD);
        wake(Duration.ofSeconds(9));

        assertThat(meter.stalledWithin(mark, timeout)).isEqualTo(Duration.ofMillis(2_750));
    }

    @Test
    void aStallAfterTheDeadlineTakesNothingFromTheTarget() {
        // The target had its 4 s and did not answer; the deadline's timer then ran 2 s late in a stall.
        Duration timeout = Duration.ofSeconds(4);
        StallMeter.Mark mark = meter.mark();
        for (int i = 0; i < 16; i++) {
            wake(StallMeter.PERIOD);
        }
        wake(Duration.ofMillis(2_250));

        assertThat(meter.stalledWithin(mark, timeout)).isZero();
    }

    @Test
    void aClosedMeterCountsNoMore() {
        meter.close();
        StallMeter.Mark mark = meter.mark();
        sleep(Duration.ofSeconds(60));

        assertThat(meter.stalledWithin(mark, LONG)).isZero();
    }

    @Test
    void theRealMetersThreadParksBetweenWakeUpsAndEndsWhenClosed() {
        StallMeter real = StallMeter.start();
        Thread thread = real.thread();
        assertThat(thread.isDaemon()).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> thread.getState() == Thread.State.TIMED_WAITING);

        real.close();

        await().atMost(Duration.ofSeconds(30)).until(() -> !thread.isAlive());
    }
}
