package dev.patrol.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What distinguishes one pooled HTTP client from another: TLS material, redirect policy, protocol version and connect
 * timeout. Equal options share one client and its connections.
 *
 * @param caFile PEM bundle of CAs to trust instead of the JDK's; {@code null} for the JDK's trust store
 * @param insecureSkipVerify trust any certificate and host name (testing only)
 * @param clientCertFile PEM client certificate chain for mutual TLS, or {@code null}
 * @param clientKeyFile PEM (PKCS#8, PKCS#1 or SEC1) private key matching {@code clientCertFile}, or {@code null}
 * @param followRedirects follow 3xx responses (same-protocol or HTTPS upgrade), as browsers do
 * @param http2 offer HTTP/2 (ALPN over TLS, upgrade over clear text); otherwise HTTP/1.1 only
 * @param connectTimeout bound on establishing a connection
 */
public record HttpClientOptions(
        Path caFile,
        boolean insecureSkipVerify,
        Path clientCertFile,
        Path clientKeyFile,
        boolean followRedirects,
        boolean http2,
        Duration connectTimeout) {

    public HttpClientOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if ((clientCertFile == null) != (clientKeyFile == null)) {
            throw new IllegalArgumentException("a client certificate needs its key, and a key its certificate");
        }
    }

    /** JDK trust store, no client certificate, redirects followed, HTTP/1.1, 5 s connect timeout. */
    public static HttpClientOptions defaults() {
        return new HttpClientOptions(null, false, null, null, true, false, Duration.ofSeconds(5));
    }
}
