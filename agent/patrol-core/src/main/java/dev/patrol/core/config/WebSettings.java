package dev.patrol.core.config;

import dev.patrol.core.tls.TlsSettings;
import java.util.Map;

/**
 * {@code patrol.web}: where the metrics and status endpoint listens, and how it is secured.
 *
 * @param host address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port TCP port; 0 picks a free one (tests)
 * @param maxThreads upper bound on request threads
 * @param maxConnections connections above this wait in the accept queue
 * @param idleTimeoutMillis how long a connection may stay silent
 * @param headerTimeoutMillis how long a client may take to send a whole request head
 * @param tls {@code patrol.web.tls}, or {@code null} for plain HTTP
 * @param basicAuthUsers user name to bcrypt hash; empty means no authentication
 */
public record WebSettings(
        String host,
        int port,
        int maxThreads,
        int maxConnections,
        long idleTimeoutMillis,
        long headerTimeoutMillis,
        TlsSettings tls,
        Map<String, String> basicAuthUsers) {

    public WebSettings {
        basicAuthUsers = Map.copyOf(basicAuthUsers);
    }

    /** Plain HTTP without authentication. */
    public WebSettings(
            String host,
            int port,
            int maxThreads,
            int maxConnections,
            long idleTimeoutMillis,
            long headerTimeoutMillis) {
        this(host, port, maxThreads, maxConnections, idleTimeoutMillis, headerTimeoutMillis, null, Map.of());
    }

    /** The same endpoint with other security settings. */
    public WebSettings secured(TlsSettings tls, Map<String, String> basicAuthUsers) {
        return new WebSettings(
                host, port, maxThreads, maxConnections, idleTimeoutMillis, headerTimeoutMillis, tls, basicAuthUsers);
    }

    /**
     * Whether {@code other} differs only in what a running server can take over: the certificate files, client
     * authentication and the users. Everything else needs a restart.
     */
    public boolean sameListener(WebSettings other) {
        return equals(other.secured(tls, basicAuthUsers)) && (tls == null) == (other.tls == null);
    }
}
