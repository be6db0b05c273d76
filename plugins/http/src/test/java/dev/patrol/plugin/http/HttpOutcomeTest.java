package dev.patrol.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Status;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class HttpOutcomeTest {

    private static ConnectException connectCausedBy(Throwable cause) {
        ConnectException connect = new ConnectException();
        connect.initCause(cause);
        return connect;
    }

    @Test
    void mapsEachFailureToItsReason() {
        assertThat(HttpOutcome.reasonOf(new CompletionException(new ConnectException())))
                .isEqualTo(Reason.CONNECTION_REFUSED);
        assertThat(HttpOutcome.reasonOf(connectCausedBy(new UnresolvedAddressException())))
                .isEqualTo(Reason.DNS_FAILED);
        assertThat(HttpOutcome.reasonOf(new UnknownHostException("nowhere"))).isEqualTo(Reason.DNS_FAILED);
        assertThat(HttpOutcome.reasonOf(new HttpConnectTimeoutException("connect timed out")))
                .isEqualTo(Reason.TIMEOUT);
        assertThat(HttpOutcome.reasonOf(new HttpTimeoutException("request timed out")))
                .isEqualTo(Reason.TIMEOUT);
        assertThat(HttpOutcome.reasonOf(new CancellationException())).isEqualTo(Reason.TIMEOUT);
        assertThat(HttpOutcome.reasonOf(new CompletionException(new SSLHandshakeException("PKIX path"))))
                .isEqualTo(Reason.TLS_FAILED);
        assertThat(HttpOutcome.reasonOf(new IOException("connection reset"))).isEqualTo(Reason.CONNECTION_FAILED);
    }

    @Test
    void failureIsACriticalResultWithAOneLineSummary() {
        CheckResult result = HttpOutcome.failure(
                new CompletionException(new SSLHandshakeException("PKIX path\nbuilding failed")), 12);

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.reason()).isEqualTo(Reason.TLS_FAILED);
        assertThat(result.summary()).isEqualTo("TLS handshake failed after 12 ms: 'PKIX path building failed'");
    }

    @Test
    void cancellationAtTheDeadlineSaysSo() {
        assertThat(HttpOutcome.failure(new CancellationException(), 2000).summary())
                .isEqualTo("Cancelled at the deadline after 2000 ms");
    }

    @Test
    void aUrlQuotedInAnErrorLosesItsQueryValues() {
        CheckResult result = HttpOutcome.failure(
                new IOException("Invalid redirect to https://sso.example.com/cb?code=c0de&state=s7 from the server"),
                5);

        assertThat(result.summary())
                .isEqualTo("Connection failed after 5 ms: "
                        + "'Invalid redirect to https://sso.example.com/cb?code=******&state=****** from the server'");
    }
}
