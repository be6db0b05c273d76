package dev.patrol.transport.http;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the JDK HTTP client's own tracing off. Its switches ({@code -Djdk.internal.httpclient.debug=true},
 * {@code -Djdk.httpclient.HttpClient.log=all}, ...) print every request line with its query, every header
 * ({@code Authorization}, {@code Cookie}) and body bytes to stderr or the platform logger, which here goes to the
 * journal. Patrol promises that no token reaches a log at any level, so these properties are cleared before the
 * first client is built (the JDK reads them once, when its client classes load) and one WARN says so.
 *
 * <p>Thread-safe: {@link #suppress()} is idempotent.
 */
final class JdkHttpLogging {
    private static final Logger logger = LoggerFactory.getLogger(JdkHttpLogging.class);
    static final List<String> PROPERTIES = List.of(
            "jdk.internal.httpclient.debug",
            "jdk.internal.httpclient.websocket.debug",
            "jdk.internal.httpclient.hpack.debug",
            "jdk.httpclient.HttpClient.log");

    private JdkHttpLogging() {}

    /** Clears the JDK client's tracing properties; returns the names of those that were set. */
    static synchronized List<String> suppress() {
        List<String> cleared = PROPERTIES.stream()
                .filter(name -> System.getProperty(name) != null)
                .toList();
        if (!cleared.isEmpty()) {
            cleared.forEach(System::clearProperty);
            logger.warn(
                    "Ignoring {}: the JDK HTTP client would log request URLs, headers and bodies, secrets included",
                    cleared);
        }
        return cleared;
    }
}
