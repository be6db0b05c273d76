package dev.patrol.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.patrol.api.HttpClientOptions;
import dev.patrol.testing.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpClientPoolTest {
    private static final Duration CONNECT = Duration.ofSeconds(5);

    private final HttpClientPool pool = new HttpClientPool(2);

    @TempDir
    Path dir;

    @AfterEach
    void closePool() {
        pool.close();
    }

    private static HttpClientOptions options(Path ca, boolean insecure, Path cert, Path key, boolean http2) {
        return new HttpClientOptions(ca, insecure, cert, key, true, http2, CONNECT);
    }

    @Nested
    class Sharing {
        @Test
        void equalOptionsShareOneClient() {
            HttpClient first = pool.get(HttpClientOptions.defaults());
            HttpClient second = pool.get(HttpClientOptions.defaults());

            assertThat(second).isSameAs(first);
            assertThat(pool.size()).isEqualTo(1);
        }

        @Test
        void distinctOptionsGetDistinctClientsWithTheirSettings() {
            HttpClient plain = pool.get(HttpClientOptions.defaults());
            HttpClient noRedirects =
                    pool.get(new HttpClientOptions(null, false, null, null, false, true, Duration.ofSeconds(2)));

            assertThat(noRedirects).isNotSameAs(plain);
            assertThat(noRedirects.followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
            assertThat(noRedirects.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(noRedirects.connectTimeout()).contains(Duration.ofSeconds(2));
            assertThat(plain.followRedirects()).isEqualTo(HttpClient.Redirect.NORMAL);
            assertThat(plain.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }

        @Test
        void aClientNotYetUsedReportsThePoolsExecutor() {
            HttpClient plain = pool.get(HttpClientOptions.defaults());
            HttpClient other = pool.get(options(null, true, null, null, true));

            assertThat(plain.executor()).containsSame(pool.executor());
            assertThat(other.executor()).containsSame(pool.executor());
        }

        @Test
        void closedPoolRefusesNewClients() {
            pool.close();

            assertThatThrownBy(() -> pool.get(HttpClientOptions.defaults())).isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class PemMaterial {
        @Test
        void unreadableCaFileFailsAndIsNotCached() throws IOException {
            Path ca = dir.resolve("ca.pem");
            Files.writeString(ca, "not a certificate\n");
            HttpClientOptions broken = options(ca, false, null, null, false);

            assertThatThrownBy(() -> pool.get(broken))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tls.ca-file");
            assertThat(pool.size()).isZero();

            TestCertificates certs = TestCertificates.create(dir);
            Files.copy(certs.caFile(), ca, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(pool.get(broken)).isNotNull();
        }

        @Test
        void readsPkcs8Pkcs1AndSec1KeysThatMatchTheirCertificates() throws Exception {
            TestCertificates.openssl(dir, "genpkey", "-algorithm", "RSA", "-out", "pkcs8.pem");
            TestCertificates.openssl(dir, "genrsa", "-traditional", "-out", "pkcs1.pem", "2048");
            TestCertificates.openssl(dir, "ecparam", "-genkey", "-name", "prime256v1", "-out", "sec1.pem");

            for (String name : List.of("pkcs8", "pkcs1", "sec1")) {
                Path key = dir.resolve(name + ".pem");
                Path cert = dir.resolve(name + "-cert.pem");
                TestCertificates.openssl(
                        dir,
                        "req",
                        "-x509",
                        "-key",
                        key.toString(),
                        "-subj",
                        "/CN=" + name,
                        "-days",
                        "1",
                        "-out",
                        cert.toString());
                var privateKey = PemFiles.privateKey(key);
                X509Certificate certificate = PemFiles.certificates(cert).get(0);

                var signature = java.security.Signature.getInstance(
                        privateKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA");
                signature.initSign(privateKey);
                signature.update(new byte[] {1, 2, 3});
                byte[] signed = signature.sign();
                signature.initVerify(certificate.getPublicKey());
                signature.update(new byte[] {1, 2, 3});
                assertThat(signature.verify(signed)).as(name).isTrue();
                assertThat(pool.get(options(null, false, cert, key, false)))
                        .as(name)
                        .isNotNull();
            }
            assertThat(Files.readString(dir.resolve("pkcs1.pem"))).contains("BEGIN RSA PRIVATE KEY");
            assertThat(Files.readString(dir.resolve("sec1.pem"))).contains("BEGIN EC PRIVATE KEY");
        }

        @Test
        void encryptedKeyIsRejectedWithItsFileName() throws Exception {
            TestCertificates.openssl(
                    dir, "genpkey", "-algorithm", "RSA", "-aes256", "-pass", "pass:secret", "-out", "encrypted.pem");

            assertThatThrownBy(() -> PemFiles.privateKey(dir.resolve("encrypted.pem")))
                    .hasMessageContaining("encrypted private keys are not supported");
        }
    }

    /** Real TLS handshakes against the JDK's HTTPS server on loopback. */
    @Nested
    class Handshakes {
        private HttpsServer server;

        @AfterEach
        void stopServer() {
            if (server != null) {
                server.stop(0);
            }
        }

        private URI start(TestCertificates certs, TestCertificates.Issued serverCert, boolean needClientAuth)
                throws Exception {
            SSLContext context = serverCert.serverContext(certs.caFile());

            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context) {
                @Override
                public void configure(HttpsParameters parameters) {
                    SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                    ssl.setNeedClientAuth(needClientAuth);
                    parameters.setSSLParameters(ssl);
                }
            });
            server.createContext("/", exchange -> {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
        }

        private int status(HttpClientOptions options, URI uri) throws Exception {
            HttpRequest request =
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
            return pool.get(options)
                    .sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .get(20, TimeUnit.SECONDS)
                    .statusCode();
        }

        @Test
        void caFileIsTrustedAndHostNameIsVerified() throws Exception {
            TestCertificates certs = TestCertificates.create(dir);
            URI uri = start(certs, certs.server(Instant.now().plus(Duration.ofDays(2))), false);

            assertThat(status(options(certs.caFile(), false, null, null, false), uri))
                    .isEqualTo(204);
            assertThatThrownBy(() -> status(HttpClientOptions.defaults(), uri))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SSLHandshakeException.class);
        }

        @Test
        void insecureSkipsBothTrustAndHostName() throws Exception {
            TestCertificates certs = TestCertificates.create(dir);
            URI uri = start(certs, certs.server(Instant.now().plus(Duration.ofDays(2)), "DNS:other.example"), false);

            assertThatThrownBy(() -> status(options(certs.caFile(), false, null, null, false), uri))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1");
            assertThat(status(options(null, true, null, null, false), uri)).isEqualTo(204);
        }

        @Test
        void clientCertificateIsPresentedForMutualTls() throws Exception {
            TestCertificates certs = TestCertificates.create(dir);
            Instant notAfter = Instant.now().plus(Duration.ofDays(2));
            URI uri = start(certs, certs.server(notAfter), true);
            TestCertificates.Issued client = certs.client("patrol", notAfter);

            assertThat(status(options(certs.caFile(), false, client.certFile(), client.keyFile(), false), uri))
                    .isEqualTo(204);
            assertThatThrownBy(() -> status(options(certs.caFile(), false, null, null, false), uri))
                    .isInstanceOf(ExecutionException.class);
        }
    }
}
