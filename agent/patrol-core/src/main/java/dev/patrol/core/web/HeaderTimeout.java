package dev.patrol.core.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections whose request head takes longer than a bound to arrive (slowloris). Jetty's idle timeout alone
 * does not help: a client that sends one byte a second is never idle.
 *
 * <p>Each connection is in one of three phases. It starts in READING_HEAD when it opens. The wrapped handler is called
 * once Jetty has parsed a whole head, which moves it to HANDLING; completion of the request moves it to IDLE. An IDLE
 * connection whose byte count grows has begun the next head and goes back to READING_HEAD. A periodic sweep closes
 * connections that stayed in READING_HEAD past the timeout, so the bound is exceeded by at most one sweep period. An
 * idle keep-alive connection is left to the idle timeout, as Go's {@code ReadHeaderTimeout} leaves it to
 * {@code IdleTimeout}.
 *
 * <p>Register it with {@code connector.addEventListener(headerTimeout)}, add it as a server bean so its sweep starts
 * and stops with the server, and put {@link #wrap(Handler)} outermost.
 *
 * <p>Thread-safe: phases are swapped by compare-and-set, so a sweep never closes a connection whose head completed
 * concurrently.
 */
final class HeaderTimeout extends AbstractLifeCycle implements Connection.Listener {
    private static final Logger logger = LoggerFactory.getLogger(HeaderTimeout.class);

    private enum Kind {
        READING_HEAD,
        HANDLING,
        IDLE,
        CLOSING
    }

    /** Immutable, so that each transition can be a compare-and-set on identity. */
    private record Phase(Kind kind, long sinceNanos, long bytesIn) {}

    private final Duration timeout;
    private final long sweepMillis;
    private final Scheduler scheduler;
    private final Map<Connection, AtomicReference<Phase>> phases = new ConcurrentHashMap<>();
    private volatile Scheduler.Task sweepTask;

    HeaderTimeout(Duration timeout, Scheduler scheduler) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("header timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
        this.sweepMillis = Math.max(20, Math.min(1000, timeout.toMillis() / 10));
        this.scheduler = scheduler;
    }

    /** A handler that marks the head of each request as complete, then delegates to {@code next}. */
    Handler wrap(Handler next) {
        return new Handler.Wrapper(next) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                headComplete(request);
                return super.handle(request, response, callback);
            }
        };
    }

    @Override
    public void onOpened(Connection connection) {
        phases.put(connection, new AtomicReference<>(new Phase(Kind.READING_HEAD, System.nanoTime(), 0)));
    }

    @Override
    public void onClosed(Connection connection) {
        phases.remove(connection);
    }

    /** Connections currently tracked; for tests and debugging. */
    int tracked() {
        return phases.size();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        scheduleSweep();
    }

    @Override
    protected void doStop() throws Exception {
        Scheduler.Task task = sweepTask;
        if (task != null) {
            task.cancel();
        }
        phases.clear();
        super.doStop();
    }

    private void headComplete(Request request) {
        Connection connection = request.getConnectionMetaData().getConnection();
        AtomicReference<Phase> phase = phases.get(connection);
        if (phase == null) {
            return;
        }
        Phase handling = new Phase(Kind.HANDLING, System.nanoTime(), 0);
        phase.set(handling);
        // Only the request that set HANDLING may end it: a late completion must not overwrite a newer phase.
        Request.addCompletionListener(
                request, failure -> phase.compareAndSet(handling, new Phase(Kind.IDLE, 0, connection.getBytesIn())));
    }

    private void scheduleSweep() {
        if (isStarting() || isStarted()) {
            sweepTask = scheduler.schedule(this::sweepAndReschedule, sweepMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void sweepAndReschedule() {
        try {
            sweep(System.nanoTime());
        } catch (RuntimeException e) {
            logger.warn("Header timeout sweep failed", e);
        } finally {
            scheduleSweep();
        }
    }

    private void sweep(long now) {
        long timeoutNanos = timeout.toNanos();
        phases.forEach((connection, phase) -> {
            Phase current = phase.get();
            switch (current.kind()) {
                case IDLE -> {
                    if (connection.getBytesIn() > current.bytesIn()) {
                        phase.compareAndSet(current, new Phase(Kind.READING_HEAD, now, 0));
                    }
                }
                case READING_HEAD -> {
                    if (now - current.sinceNanos() >= timeoutNanos
                            && phase.compareAndSet(current, new Phase(Kind.CLOSING, now, 0))) {
                        logger.atDebug()
                                .addKeyValue("remote", connection.getEndPoint().getRemoteSocketAddress())
                                .addKeyValue("header_timeout_ms", timeout.toMillis())
                                .log("Closing a connection whose request head did not arrive in time");
                        connection
                                .getEndPoint()
                                .close(new TimeoutException(
                                        "Request head not complete within " + timeout.toMillis() + " ms"));
                    }
                }
                case HANDLING, CLOSING -> {}
            }
        });
    }
}
