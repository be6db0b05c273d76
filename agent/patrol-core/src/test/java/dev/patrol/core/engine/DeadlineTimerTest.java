package dev.patrol.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineTimerTest {
    private final ScheduledThreadPoolExecutor timer = DeadlineTimer.create();

    @AfterEach
    void close() {
        timer.shutdownNow();
    }

    @Test
    void aNewDeadlineQueuesBehindThePacerInsteadOfBecomingTheHead() {
        ScheduledFuture<?> deadline = timer.schedule(() -> {}, 2, TimeUnit.SECONDS);

        // The head is what the timer thread waits for; a new head would wake it to re-arm its wait.
        Delayed head = (Delayed) timer.getQueue().peek();
        assertThat(head).isNotSameAs(deadline);
        assertThat(head.getDelay(TimeUnit.MILLISECONDS)).isLessThanOrEqualTo(DeadlineTimer.PACE_MILLIS);
    }

    @Test
    void cancelledDeadlinesLeaveTheQueueAtOnce() {
        List<ScheduledFuture<?>> deadlines = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            deadlines.add(timer.schedule(() -> {}, 2, TimeUnit.SECONDS));
        }
        deadlines.forEach(deadline -> deadline.cancel(false));

        assertThat(timer.getQueue()).hasSize(1); // the pacer only
    }
}
