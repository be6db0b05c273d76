package dev.patrol.transport.http;

import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The executor every pooled {@code https} client is given ({@code http} clients run every task inline, see
 * {@link SchemeClients}): it runs a task on the calling thread while that thread is inside
 * {@code sendAsync} (marked by {@link #during}), and hands every other task to the pool's threads.
 *
 * <p>The JDK client starts each exchange with a task on its executor (it completes a start future asynchronously), so
 * without this every request paid one hand-off and one wake-up of a pool thread before anything was written: from the
 * scheduler thread that fired the check to an idle pool thread and back. Run on the caller, the start (connection
 * lookup, request head written to a kept-alive socket) happens where the check was fired. What the client's selector
 * thread submits (response parsing, TLS handshake work) still goes to the pool, so the selector never runs it.
 *
 * <p>Thread-safe: the mark is per thread.
 */
final class CallerStart implements Executor {
    private static final ThreadLocal<Boolean> STARTING = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final Executor pool;

    CallerStart(Executor pool) {
        this.pool = pool;
    }

    /** Calls {@code send} with this thread marked, so that the exchange's start task runs here. */
    static <T> T during(Supplier<T> send) {
        if (STARTING.get()) {
            return send.get();
        }
        STARTING.set(Boolean.TRUE);
        try {
            return send.get();
        } finally {
            STARTING.set(Boolean.FALSE);
        }
    }

    @Override
    public void execute(Runnable task) {
        if (STARTING.get()) {
            task.run();
        } else {
            pool.execute(task);
        }
    }
}
