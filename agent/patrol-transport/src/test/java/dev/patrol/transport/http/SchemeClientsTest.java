package dev.patrol.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.patrol.api.HttpClientOptions;
import dev.patrol.testing.TestCertificates;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which threads a pooled client's exchanges run on, by the URL's scheme, against real servers on loopback. */
class SchemeClientsTest {
    private final HttpClientPool pool = new HttpClientPool(2);
    private final List<HttpServer> servers = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        servers.forEach(server -> server.stop(0));
        pool.close();
    }

    @Test
    void plainHttpIsHandledWithoutHandingOffToThePoolsThreads() throws Exception {
        URI uri = serve(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), "http");
        HttpClient client = pool.get(HttpClientOptions.defaults());

        for (int i = 0; i < 3; i++) { // a new connection, then kept-alive ones
            Exchange exchange = exchange(client, uri);

            assertThat(exchange.body()).isEqualTo("ok");
            assertThat(exchange.headThread()).doesNotStartWith("patrol-http");
        }
    }

    @Test
    void httpsIsHandledOnThePoolsThreadsSoNoHandshakeHoldsTheSelector() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        TestCertificates.Issued serverCert = certs.server(Instant.now().plus(Duration.ofDays(2)));
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverCert.serverContext(null)));
        URI uri = serve(server, "https");
        HttpClient client =
                pool.get(new HttpClientOptions(certs.caFile(), false, null, null, true, false, Duration.ofSeconds(10)));

        Exchange exchange = exchange(client, uri);

        assertThat(exchange.body()).isEqualTo("ok");
        assertThat(exchange.headThread()).startsWith("patrol-http");
    }

    @Test
    void bothSchemesThroughOneClientEachGetTheirOwn() throws Exception {
        URI plain = serve(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), "http");
        TestCertificates certs = TestCertificates.create(dir);
        HttpsServer secure = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        secure.setHttpsConfigurator(new HttpsConfigurator(
                certs.server(Instant.now().plus(Duration.ofDays(2))).serverContext(null)));
        URI tls = serve(secure, "https");
        HttpClient client =
                pool.get(new HttpClientOptions(certs.caFile(), false, null, null, true, false, Duration.ofSeconds(10)));

        assertThat(exchange(client, tls).headThread()).startsWith("patrol-http");
        assertThat(exchange(client, plain).headThread()).doesNotStartWith("patrol-http");
        assertThat(exchange(client, tls).body()).isEqualTo("ok");
        assertThat(pool.size()).isEqualTo(1);
    }

    /** What one exchange returned, and the thread its response head was handled on. */
    private record Exchange(String body, String headThread) {}

    private static Exchange exchange(HttpClient client, URI uri) throws Exception {
        AtomicReference<String> headThread = new AtomicReference<>();
        HttpResponse<String> response = client.sendAsync(
                        HttpRequest.newBuilder(uri).build(), info -> {
                            headThread.set(Thread.currentThread().getName());
                            return HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
                        })
                .get(20, TimeUnit.SECONDS);
        return new Exchange(response.body(), headThread.get());
    }

    private URI serve(HttpServer server, String scheme) {
        server.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        servers.add(server);
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/");
    }
}
