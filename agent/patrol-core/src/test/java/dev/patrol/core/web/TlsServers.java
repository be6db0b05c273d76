package dev.patrol.core.web;

import dev.patrol.core.config.WebSettings;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.tls.TlsSettings;
import dev.patrol.testing.TestCertificates;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** HTTPS servers for tests: certificates from {@link TestCertificates} copied to fixed paths in a temp dir. */
final class TlsServers {
    final TestCertificates certs;
    final Path dir;
    final Path certFile;
    final Path keyFile;

    TlsServers(Path dir) throws IOException {
        this.dir = dir;
        this.certs = TestCertificates.create(dir);
        this.certFile = dir.resolve("served.pem");
        this.keyFile = dir.resolve("served-key.pem");
        install(certs.server(Instant.now().plus(Duration.ofDays(30))));
    }

    /** Copies a certificate and key over the served files, key first, each replaced atomically. */
    void install(TestCertificates.Issued issued) throws IOException {
        replace(issued.keyFile(), keyFile);
        replace(issued.certFile(), certFile);
    }

    private static void replace(Path from, Path to) throws IOException {
        Path temp = to.resolveSibling(to.getFileName() + ".tmp");
        Files.copy(from, temp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    WebSettings settings(Path clientCa, TlsSettings.ClientAuth clientAuth, Map<String, String> users) {
        return WebFixture.defaults().secured(new TlsSettings(certFile, keyFile, clientCa, clientAuth), users);
    }

    /** A started server with a small registry holding {@code patrol_test_total}. */
    static WebServer start(WebSettings settings) throws IOException {
        CollectorRegistry registry = new CollectorRegistry();
        Counter.build("patrol_test", "A test counter.").register(registry).inc();
        WebServer server = new WebServer(
                settings, registry, new ResultStore(), () -> true, () -> ReloadResult.succeeded("Reloaded"), () -> "");
        server.start();
        return server;
    }

    /** The serial number of the certificate the server presents to a new connection, trusting anything. */
    static BigInteger servedSerial(int port) throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, SslContextFactory.TRUST_ALL_CERTS, null);
        try (SSLSocket socket = (SSLSocket) trustAll.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }
}
