package dev.patrol.plugin.logtail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patrol.api.TlsClientFiles;
import dev.patrol.testing.TestCertificates;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SyslogTls#handshake} against a JDK TLS server on loopback: TLS 1.2+ only, the name checked. */
class SyslogTlsHandshakeTest {
    @TempDir
    java.nio.file.Path dir;

    private TestCertificates certs;
    private SSLServerSocket server;

    @BeforeEach
    void setUp() throws Exception {
        certs = TestCertificates.create(dir);
    }

    @AfterEach
    void close() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void offersOnlyTls12And13AndChecksTheAddress() throws Exception {
        listen(certs.server(Instant.now().plus(Duration.ofDays(1))));
        SyslogTls tls = new SyslogTls(trusting(), "127.0.0.1", true);

        try (Socket plain = connect();
                SSLSocket socket = tls.handshake(plain, server.getLocalPort())) {
            assertThat(socket.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
            assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(socket.getSSLParameters().getEndpointIdentificationAlgorithm())
                    .isEqualTo("HTTPS");
        }
    }

    @Test
    void aCertificateForAnotherNameFailsTheHandshakeUnlessVerificationIsOff() throws Exception {
        listen(certs.server(Instant.now().plus(Duration.ofDays(1)), "DNS:syslog.example"));

        try (Socket plain = connect()) {
            SyslogTls tls = new SyslogTls(trusting(), "127.0.0.1", true);
            assertThatThrownBy(() -> tls.handshake(plain, server.getLocalPort()))
                    .isInstanceOf(SSLException.class)
                    .hasMessageStartingWith("TLS handshake failed: ")
                    .hasMessageContaining("127.0.0.1");
        }
        try (Socket plain = connect();
                SSLSocket socket =
                        new SyslogTls(trusting(), "127.0.0.1", false).handshake(plain, server.getLocalPort())) {
            assertThat(socket.getSession().isValid()).isTrue();
        }
    }

    private SSLContext trusting() throws Exception {
        return TlsClientFiles.clientContext(TlsClientFiles.certificates(certs.caFile()), false, null, null);
    }

    private Socket connect() throws Exception {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 10_000);
        plain.setSoTimeout(30_000);
        return plain;
    }

    /** A TLS server presenting {@code issued} that reads each connection to its end. */
    private void listen(TestCertificates.Issued issued) throws Exception {
        SSLContext context = issued.serverContext(null);
        server = (SSLServerSocket)
                context.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        CompletableFuture.runAsync(() -> {
            while (!server.isClosed()) {
                try (Socket accepted = server.accept();
                        InputStream in = accepted.getInputStream()) {
                    accepted.setSoTimeout(30_000);
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (Exception e) {
                    // a refused handshake or the server closing: serve the next one
                }
            }
        });
    }
}
