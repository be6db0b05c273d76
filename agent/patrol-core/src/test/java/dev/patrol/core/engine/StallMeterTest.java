package dev.patrol.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The stall meter's arithmetic on a clock the test moves, and its thread on the real one. */
class StallMeterTest {
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
        long mark = meter.mark();
        for (int i = 0; i < 50; i++) {
            wake(StallMeter.PERIOD.plus(StallMeter.NOISE)); // jitter up to the noise, every time
        }

        assertThat(meter.since(mark)).isZero();
        assertThat(meter.stalledSeconds()).isZero();
    }

    @Test
    void aWakeUpLateBeyondTheNoiseCountsAllItsLateness() {
        wake(StallMeter.PERIOD);
        long mark = meter.mark();

        wake(Duration.ofMillis(3_100)); // e.g. a 3 s stop-the-world pause

        assertThat(meter.since(mark)).isEqualTo(Duration.ofMillis(3_000));
        assertThat(meter.stalledSeconds()).isEqualTo(3.0);
    }

    @Test
    void aStallStillInProgressCountsBeforeTheMetersThreadHasRun() {
        // After SIGCONT the deadline timer may run before the meter's thread: the overdue wake-up is a stall already.
        long mark = meter.mark();
        sleep(Duration.ofSeconds(8));

        assertThat(meter.since(mark)).isEqualTo(Duration.ofMillis(7_900));

        meter.tick(); // the meter's thread catches up: the same stall, counted once
        assertThat(meter.since(mark)).isEqualTo(Duration.ofMillis(7_900));
        wake(StallMeter.PERIOD);
        assertThat(meter.since(mark)).isEqualTo(Duration.ofMillis(7_900));
    }

    @Test
    void aStallBeforeTheMarkIsNotCountedAfterIt() {
        wake(Duration.ofSeconds(5));
        long mark = meter.mark();

        wake(StallMeter.PERIOD);
        wake(StallMeter.PERIOD);

        assertThat(meter.since(mark)).isZero();
        assertThat(meter.stalledSeconds()).isEqualTo(4.9);
    }

    @Test
    void aClosedMeterCountsNoMore() {
        meter.close();
        long mark = meter.mark();
        sleep(Duration.ofSeconds(60));

        assertThat(meter.since(mark)).isZero();
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
