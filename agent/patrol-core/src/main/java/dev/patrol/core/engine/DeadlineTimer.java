package dev.patrol.core.engine;

import dev.patrol.transport.DaemonThreads;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The engine's one timer thread: every attempt's deadline, every retry's backoff and every rate-limit wait is a task
 * on it, so timers cost a queue entry each, not a thread.
 *
 * <p>A cancelled task leaves the queue at once (the common case: the run finished long before its deadline). A
 * {@link #PACE_MILLIS} no-op task keeps the queue's head at most that far away: a new deadline, due seconds from now,
 * then lands behind the head instead of becoming it, and does not wake the timer thread to re-arm its wait. Without
 * it, at a few hundred checks a second, the queue is empty most of the time (runs end in a millisecond) and nearly
 * every deadline woke the timer thread once; with it the thread wakes about {@code 1000 / PACE_MILLIS} times a second
 * whatever the rate.
 */
final class DeadlineTimer {
    static final long PACE_MILLIS = 250;

    private DeadlineTimer() {}

    static ScheduledThreadPoolExecutor create() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("patrol-deadline"));
        timer.setRemoveOnCancelPolicy(true);
        timer.scheduleAtFixedRate(() -> {}, PACE_MILLIS, PACE_MILLIS, TimeUnit.MILLISECONDS);
        return timer;
    }
}
