package dev.patrol.core.config;

/**
 * {@code patrol.web}: where the metrics and status endpoint listens.
 *
 * @param host address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port TCP port; 0 picks a free one (tests)
 * @param maxThreads upper bound on request threads
 * @param maxConnections connections above this wait in the accept queue
 * @param idleTimeoutMillis how long a connection may stay silent
 * @param headerTimeoutMillis how long a client may take to send a whole request head
 */
public record WebSettings(
        String host, int port, int maxThreads, int maxConnections, long idleTimeoutMillis, long headerTimeoutMillis) {}
