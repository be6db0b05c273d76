package dev.patrol.core.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * How long the agent itself could not run: a thread of its own asks to wake every {@link #PERIOD} and counts how much
 * later than that it woke (jHiccup's method). A stop-the-world garbage collection, the process stopped
 * ({@code SIGSTOP}, a debugger), the virtual machine paused, migrated or suspended with its host, and a CPU so starved
 * that a thread waking from sleep waits for it, all show as late wake-ups. A run's deadline is measured by the same
 * clock, so a run in flight across such a stall can time out while its target answered at once; the engine compares
 * the stall during the run with its timeout before it blames the target ({@link AttemptRunner}).
 *
 * <p>The thread is its own, not the deadline timer's: a burst of deadlines (a network partition timing out every target
 * at once) keeps the timer's thread busy without stopping the agent from hearing its targets, and must not excuse the
 * next runs' timeouts. Starvation by other processes shows only in part: Linux wakes a sleeping thread ahead of busy
 * ones, so a thread that stays runnable (the I/O threads under load) can wait far longer than this one; and a stall
 * that begins while the thread sleeps is counted from its planned wake-up, up to a period late. The measure is a
 * floor.
 *
 * <p>Thread-safe: one thread ticks, any thread reads. The two figures are published together in one immutable
 * {@link Reading}, so that a reader never counts a stall both as recorded and as still in progress.
 */
final class StallMeter implements AutoCloseable {
    /**
     * How often the meter's thread wakes: four times a second whatever the agent does. A wake-up cost 92 µs of CPU on
     * the 2-core benchmark VM, so at ten a second the meter was a fifth of an idle agent's CPU; a run's timeout is
     * rarely under a second, and only a stall of half of it matters.
     */
    static final Duration PERIOD = Duration.ofMillis(250);
    /** Lateness below this is the scheduler's ordinary jitter, not a stall. */
    static final Duration NOISE = Duration.ofMillis(50);

    private static final long PERIOD_NANOS = PERIOD.toNanos();
    private static final long NOISE_NANOS = NOISE.toNanos();

    /** When the meter's thread last woke, and the stalls it has counted so far. */
    private record Reading(long lastWake, long stalled) {}

    /** Where a run started on the meter's clock, and the stalls counted by then. */
    record Mark(long at, long stalled) {}

    private final LongSupplier nanoTime;
    private volatile Reading reading;
    private volatile boolean closed;
    private final Thread thread;

    /** A meter on the system's monotonic clock, with its thread started. */
    static StallMeter start() {
        StallMeter meter = new StallMeter(System::nanoTime);
        meter.thread.start();
        return meter;
    }

    /** A meter whose wake-ups are {@link #tick()} calls on {@code nanoTime}'s clock (its thread is not started). */
    StallMeter(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.reading = new Reading(nanoTime.getAsLong(), 0);
        this.thread = new Thread(this::loop, "patrol-stall-meter");
        thread.setDaemon(true);
    }

    private void loop() {
        while (!closed) {
            LockSupport.parkNanos(this, PERIOD_NANOS);
            tick();
        }
    }

    /** One wake-up of the meter's thread: what it overslept beyond the noise is a stall. */
    void tick() {
        long now = nanoTime.getAsLong();
        Reading last = reading;
        reading = new Reading(now, last.stalled() + late(now - last.lastWake()));
    }

    private static long late(long slept) {
        long late = slept - PERIOD_NANOS;
        return late > NOISE_NANOS ? late : 0;
    }

    /** The stalls counted by {@code now}, in nanoseconds, one still in progress included (see {@link #mark}). */
    private long stalled(long now) {
        Reading last = reading;
        if (closed) {
            return last.stalled();
        }
        return last.stalled() + late(now - last.lastWake());
    }

    /**
     * Marks a run's start. A stall still in progress counts already: after a stop, whichever thread runs first (a
     * deadline's timer, say) sees the meter's wake-up overdue before the meter's own thread has run.
     */
    Mark mark() {
        long now = nanoTime.getAsLong();
        return new Mark(now, stalled(now));
    }

    /**
     * How long the agent could not run between {@code mark} and {@code mark + timeout}: what was stalled since the
     * mark, less the time past the deadline (a stall after the deadline took nothing from the target, which had its
     * full time and did not answer; this reading is that late).
     */
    Duration stalledWithin(Mark mark, Duration timeout) {
        long now = nanoTime.getAsLong();
        long stalled = stalled(now) - mark.stalled();
        long pastDeadline = now - mark.at() - timeout.toNanos();
        if (pastDeadline > 0) {
            stalled -= pastDeadline;
        }
        return Duration.ofNanos(Math.max(0, stalled));
    }

    /** The stalls counted since the meter started, in seconds. */
    double stalledSeconds() {
        return stalled(nanoTime.getAsLong()) / (double) TimeUnit.SECONDS.toNanos(1);
    }

    /** The meter's thread, for tests. */
    Thread thread() {
        return thread;
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
