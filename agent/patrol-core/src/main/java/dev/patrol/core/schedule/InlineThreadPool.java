package dev.patrol.core.schedule;

import org.quartz.spi.ThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Quartz {@link ThreadPool} that runs each fired job on the thread that fired it, Quartz's scheduler thread, instead
 * of handing it to a worker. A fire only hands the run to the engine, which starts the plugin's asynchronous work and
 * returns ({@code CheckContext}: never block the thread that calls {@code run}), so a worker pool bought nothing but a
 * hand-off and a wake-up per fire, and it capped each batch of acquired triggers at the number of idle workers.
 * Here a batch is as large as {@code batch-size}: one wake-up of the scheduler thread fires every trigger due within
 * the fire-ahead window.
 *
 * <p>A fire that takes long anyway (a plugin that blocks despite the contract) delays the fires after it; each one
 * over {@link #SLOW_FIRE_NANOS} is logged at debug level, and shows as lateness in
 * {@code patrol_scheduler_lateness_seconds}.
 *
 * <p>Thread-safe: Quartz calls it from its scheduler thread only; {@link #setBatchSize} is called before start.
 */
public final class InlineThreadPool implements ThreadPool {
    private static final Logger logger = LoggerFactory.getLogger(InlineThreadPool.class);
    private static final long SLOW_FIRE_NANOS = 50_000_000L;

    private volatile int batchSize = 1;
    private volatile boolean shutDown;

    /** How many triggers the scheduler thread may acquire and fire per wake-up; Quartz sets it from its properties. */
    public void setBatchSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + size);
        }
        this.batchSize = size;
    }

    @Override
    public boolean runInThread(Runnable runnable) {
        if (shutDown) {
            return false;
        }
        long start = System.nanoTime();
        runnable.run(); // Quartz's JobRunShell catches what the job throws
        long took = System.nanoTime() - start;
        if (took > SLOW_FIRE_NANOS) {
            logger.debug("A fire held the scheduler thread for {} ms", took / 1_000_000);
        }
        return true;
    }

    @Override
    public int blockForAvailableThreads() {
        return batchSize;
    }

    @Override
    public void initialize() {}

    @Override
    public void shutdown(boolean waitForJobsToComplete) {
        shutDown = true;
    }

    @Override
    public int getPoolSize() {
        return batchSize;
    }

    @Override
    public void setInstanceId(String schedInstId) {}

    @Override
    public void setInstanceName(String schedName) {}
}
