package dev.patrol.transport.http;

import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the HTTP/1.1 connection of an exchange that the JDK client failed <em>before</em> the response headers were
 * complete, which the JDK itself never closes.
 *
 * <p>Why this exists: when {@code java.net.http} cannot parse a response head (a header over
 * {@code jdk.http.maxHeaderSize}, a malformed status line or header), {@code Http1Response} completes the exchange
 * exceptionally but neither closes the connection nor returns it to the pool. Nothing owns the socket any more: it
 * stays ESTABLISHED until the server hangs up, and a misbehaving server need never do that. Measured on JDK 17.0.15
 * and 25: one socket per run; dropping the client does not help on 17 (its selector thread ends once the client is
 * collected, but the orphaned channel is never closed), and only JDK 21's {@code HttpClient.shutdownNow()} closes it,
 * together with every other exchange of that client. No public JDK 17 API reaches that connection, so this class
 * follows the exchange the client's future was created for ({@code MinimalFuture.cancelable} &rarr;
 * {@code MultiExchange.exchange.exchImpl.connection()}) and closes it. That needs
 * {@code --add-opens java.net.http/jdk.internal.net.http=ALL-UNNAMED} and the same for
 * {@code jdk.internal.net.http.common} (the agent's jar manifest carries both as {@code Add-Opens}). Without them,
 * or on a JDK whose internals differ, {@link #capture} returns {@code null} and one WARN line says why; the pool then
 * retires the client and, on JDK 21 and later, shuts it down ({@link #shutDown}), which closes the connection once
 * the client's other exchanges are done. On JDK 17 the connection then stays open until the server closes it.
 *
 * <p>Only HTTP/1.1 connections are closed: an HTTP/2 connection is shared by other exchanges, and the JDK resets just
 * the failed stream. Thread-safe; stateless apart from the resolved reflection handles.
 */
final class ConnectionReleaser {
    private static final Logger logger = LoggerFactory.getLogger(ConnectionReleaser.class);
    private static final String OPENS = "--add-opens java.net.http/jdk.internal.net.http=ALL-UNNAMED"
            + " --add-opens java.net.http/jdk.internal.net.http.common=ALL-UNNAMED";
    private static final Handles HANDLES = Handles.resolve();
    private static final AtomicBoolean warned = new AtomicBoolean();
    /** {@code HttpClient.shutdown()}, public from JDK 21; Patrol compiles for 17, so it is looked up. */
    private static final Method SHUTDOWN = shutdownMethod();

    private ConnectionReleaser() {}

    /** Whether this JVM lets Patrol close a connection the JDK left open. */
    static boolean available() {
        return HANDLES != null;
    }

    /**
     * The JDK's exchange behind {@code future} as returned by {@code HttpClient.sendAsync}, held strongly so it can
     * be closed after a failure; {@code null} when that cannot be done here.
     */
    static Object capture(CompletableFuture<?> future) {
        if (HANDLES == null) {
            return null;
        }
        try {
            Object cancelable = HANDLES.cancelable.get(future);
            if (cancelable == null || !HANDLES.cancelableRef.getDeclaringClass().isInstance(cancelable)) {
                return null;
            }
            return ((Reference<?>) HANDLES.cancelableRef.get(cancelable)).get();
        } catch (ReflectiveOperationException | RuntimeException e) {
            logger.debug("Cannot follow an HTTP exchange", e);
            return null;
        }
    }

    /**
     * Closes the connection of {@code exchange} (from {@link #capture}) when it is an HTTP/1.1 connection; a no-op
     * for HTTP/2 and for an already closed connection.
     */
    static void close(Object exchange) {
        try {
            Object current = HANDLES.exchange.get(exchange);
            Object impl = current == null ? null : HANDLES.exchImpl.get(current);
            if (impl == null || !HANDLES.http1Exchange.isInstance(impl)) {
                return;
            }
            Object connection = HANDLES.connection.invoke(impl);
            if (connection != null) {
                HANDLES.close.invoke(connection);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            logger.debug("Cannot close the connection of a failed HTTP exchange", e);
        }
    }

    /** Whether this runtime's {@code HttpClient} has {@code shutdown()} (JDK 21 and later). */
    static boolean canShutDown() {
        return SHUTDOWN != null;
    }

    /**
     * Shuts {@code client} down where the runtime can: an orderly shutdown that lets in-flight exchanges finish and
     * then closes every connection, including one the JDK left open. The fallback when {@link #capture} cannot reach
     * the exchange; a no-op on JDK 17, which has no way to close a client.
     */
    static void shutDown(HttpClient client) {
        if (SHUTDOWN == null) {
            return;
        }
        try {
            SHUTDOWN.invoke(client);
        } catch (ReflectiveOperationException | RuntimeException e) {
            logger.debug("Cannot shut down an HTTP client", e);
        }
    }

    /** Says once, at WARN, that connections the JDK leaves open after an unreadable response stay open. */
    static void warnUnavailable() {
        if (warned.compareAndSet(false, true)) {
            logger.warn(
                    "An HTTP response head could not be read and the JDK HTTP client leaves such a connection open;"
                            + " Patrol cannot close it in this JVM{}. Run Java with {} (the patrol launcher does)",
                    SHUTDOWN == null ? "" : " except by shutting that client down",
                    OPENS);
        }
    }

    private static Method shutdownMethod() {
        try {
            return HttpClient.class.getMethod("shutdown");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private record Handles(
            Field cancelable,
            Field cancelableRef,
            Field exchange,
            Field exchImpl,
            Class<?> http1Exchange,
            Method connection,
            Method close) {

        static Handles resolve() {
            try {
                String base = "jdk.internal.net.http.";
                return new Handles(
                        open(Class.forName(base + "common.MinimalFuture").getDeclaredField("cancelable")),
                        open(Class.forName(base + "MultiExchange$CancelableRef").getDeclaredField("cancelableRef")),
                        open(Class.forName(base + "MultiExchange").getDeclaredField("exchange")),
                        open(Class.forName(base + "Exchange").getDeclaredField("exchImpl")),
                        Class.forName(base + "Http1Exchange"),
                        open(Class.forName(base + "ExchangeImpl").getDeclaredMethod("connection")),
                        open(Class.forName(base + "HttpConnection").getDeclaredMethod("close")));
            } catch (ReflectiveOperationException | InaccessibleObjectException | SecurityException e) {
                logger.debug("The JDK HTTP client's internals are not reachable: {}", e.toString());
                return null;
            }
        }

        private static <T extends java.lang.reflect.AccessibleObject> T open(T member) {
            member.setAccessible(true);
            return member;
        }
    }
}
