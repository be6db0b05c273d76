package dev.patrol.plugin.http;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Sample;
import dev.patrol.api.UrlRedaction;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Turns what the HTTP client reports into results: a failed exchange into a CRITICAL result with a {@link Reason},
 * and a response into the fixed {@code patrol_http_*} samples. Stateless and thread-safe.
 */
final class HttpOutcome {
    static final String STATUS_CODE = "patrol_http_status_code";
    static final String RESPONSE_SIZE = "patrol_http_response_size_bytes";
    static final String VERSION = "patrol_http_version";
    static final String REDIRECTS = "patrol_http_redirects";
    static final String CERT_EXPIRY = "patrol_http_tls_cert_expiry_timestamp_seconds";

    private static final int MAX_MESSAGE = 160;

    private HttpOutcome() {}

    /**
     * The result of an exchange that failed with {@code error}; a down or slow target is a result, never an
     * exception, so this always returns a CRITICAL result.
     */
    static CheckResult failure(Throwable error, long elapsedMillis) {
        Reason reason = reasonOf(error);
        String after = " after " + elapsedMillis + " ms";
        String summary =
                switch (reason) {
                    case TIMEOUT -> error instanceof CancellationException
                                    || rootOf(error) instanceof CancellationException
                            ? "Cancelled at the deadline" + after
                            : "Timed out" + after + message(error);
                    case CONNECTION_REFUSED -> "Connection refused" + after;
                    case DNS_FAILED -> "Host name not resolved" + after + message(error);
                    case TLS_FAILED -> "TLS handshake failed" + after + message(error);
                    default -> "Connection failed" + after + message(error);
                };
        return CheckResult.critical(reason, summary);
    }

    /** The reason for a failed exchange; causes are searched from the most specific kind down. */
    static Reason reasonOf(Throwable error) {
        if (find(error, UnresolvedAddressException.class) || find(error, UnknownHostException.class)) {
            return Reason.DNS_FAILED;
        }
        if (find(error, HttpTimeoutException.class) || find(error, CancellationException.class)) {
            return Reason.TIMEOUT;
        }
        if (find(error, SSLException.class)) {
            return Reason.TLS_FAILED;
        }
        if (find(error, ConnectException.class)) {
            return Reason.CONNECTION_REFUSED;
        }
        return Reason.CONNECTION_FAILED;
    }

    /** The fixed samples every response yields. */
    static void addResponseSamples(HttpResponse<CappedBody> response, List<Sample> samples) {
        addResponseSamples(response.statusCode(), response.body().received(), response.version(), samples);
        int redirects = 0;
        for (var previous = response.previousResponse();
                previous.isPresent();
                previous = previous.get().previousResponse()) {
            redirects++;
        }
        samples.add(gauge(REDIRECTS, redirects));
        response.sslSession().ifPresent(session -> {
            long expiry = earliestNotAfter(session);
            if (expiry > 0) {
                samples.add(gauge(CERT_EXPIRY, expiry / 1000.0));
            }
        });
    }

    /** The samples of a response known only by its head and body, as when the exchange failed after the cap. */
    static void addResponseSamples(int code, long received, HttpClient.Version version, List<Sample> samples) {
        samples.add(gauge(STATUS_CODE, code));
        samples.add(gauge(RESPONSE_SIZE, received));
        samples.add(gauge(VERSION, version == HttpClient.Version.HTTP_2 ? 2 : 1.1));
    }

    /** The earliest expiry in the peer's chain, in epoch milliseconds, or 0 without one. */
    static long earliestNotAfter(SSLSession session) {
        try {
            long earliest = Long.MAX_VALUE;
            for (Certificate certificate : session.getPeerCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    earliest = Math.min(earliest, x509.getNotAfter().getTime());
                }
            }
            return earliest == Long.MAX_VALUE ? 0 : earliest;
        } catch (SSLPeerUnverifiedException e) {
            return 0;
        }
    }

    private static Sample gauge(String name, double value) {
        return Sample.metric(name, Sample.Kind.GAUGE, Map.of(), value);
    }

    private static boolean find(Throwable error, Class<? extends Throwable> type) {
        // Bounded: a cause chain can loop back on itself.
        Throwable current = error;
        for (int depth = 0; current != null && depth < 16; depth++) {
            if (type.isInstance(current)) {
                return true;
            }
            current = current.getCause();
        }
        return false;
    }

    private static Throwable rootOf(Throwable error) {
        Throwable current = error;
        for (int depth = 0; current.getCause() != null && depth < 16; depth++) {
            current = current.getCause();
        }
        return current;
    }

    /** The deepest message, quoted and capped: it may be remote text, and the summary is one line. */
    private static String message(Throwable error) {
        String text = null;
        Throwable current = error;
        for (int depth = 0; current != null && depth < 16; depth++) {
            if (current.getMessage() != null && !(current instanceof java.util.concurrent.CompletionException)) {
                text = current.getMessage();
            }
            current = current.getCause();
        }
        if (text == null || text.isBlank()) {
            return "";
        }
        // A message may quote the request's URL, query and all.
        String line = UrlRedaction.redactWithin(text).replaceAll("\\s+", " ").strip();
        if (line.length() > MAX_MESSAGE) {
            line = line.substring(0, MAX_MESSAGE) + "...";
        }
        return ": '" + line + "'";
    }

    static boolean isIoFailure(Throwable error) {
        return find(error, IOException.class)
                || find(error, UnresolvedAddressException.class)
                || find(error, CancellationException.class);
    }
}
