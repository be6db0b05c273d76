package dev.patrol.core.config;

import java.nio.file.Path;
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
        Tls tls,
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
    public WebSettings secured(Tls tls, Map<String, String> basicAuthUsers) {
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

    /**
     * {@code patrol.web.tls}, with the semantics of Prometheus' exporter-toolkit web config.
     *
     * @param certFile PEM certificate chain, server certificate first
     * @param keyFile PEM private key of that certificate
     * @param clientCaFile PEM certificates client certificates are verified against; {@code null} unless
     *     {@code clientAuth} verifies
     * @param clientAuth whether a client certificate is asked for, required and verified
     */
    public record Tls(Path certFile, Path keyFile, Path clientCaFile, ClientAuth clientAuth) {}

    /** Exporter-toolkit's {@code client_auth_type}, in kebab-case. */
    public enum ClientAuth {
        /** No client certificate is asked for ({@code NoClientCert}). */
        NONE,
        /** Asked for, not required, not verified ({@code RequestClientCert}). */
        REQUEST,
        /** Required, not verified ({@code RequireAnyClientCert}). */
        REQUIRE,
        /** Verified against the client CA when given ({@code VerifyClientCertIfGiven}). */
        VERIFY_IF_GIVEN,
        /** Required and verified against the client CA ({@code RequireAndVerifyClientCert}). */
        REQUIRE_AND_VERIFY;

        /** Whether certificates are checked against {@code client-ca-file}. */
        public boolean verifies() {
            return this == VERIFY_IF_GIVEN || this == REQUIRE_AND_VERIFY;
        }
    }
}
