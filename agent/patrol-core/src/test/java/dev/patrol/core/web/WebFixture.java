package dev.patrol.core.web;

import dev.patrol.core.config.WebSettings;
import dev.patrol.core.state.ResultStore;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** A started {@link WebServer} on 127.0.0.1 with an ephemeral port, and an HTTP client for it. */
final class WebFixture implements AutoCloseable {
    final CollectorRegistry registry = new CollectorRegistry();
    final ResultStore results = new ResultStore();
    final AtomicBoolean ready = new AtomicBoolean(true);
    final AtomicReference<Supplier<ReloadResult>> reload =
            new AtomicReference<>(() -> ReloadResult.succeeded("Reloaded"));
    final AtomicReference<String> config = new AtomicReference<>("");
    final AtomicReference<JobTrigger> jobs = new AtomicReference<>(JobTrigger.NONE);
    final WebServer server;
    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private WebFixture(WebSettings settings) {
        server = new WebServer(
                settings, registry, results, ready::get, () -> reload.get().get(), config::get, name -> jobs.get()
                        .start(name));
    }

    /** The production defaults, but on an ephemeral loopback port. */
    static WebSettings defaults() {
        return new WebSettings("127.0.0.1", 0, 16, 512, 30_000, 10_000);
    }

    static WebSettings withHeaderTimeout(long millis) {
        return new WebSettings("127.0.0.1", 0, 16, 512, 30_000, millis);
    }

    static WebFixture start(WebSettings settings) throws IOException {
        WebFixture fixture = new WebFixture(settings);
        fixture.server.start();
        return fixture;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10));
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(
                request(pathAndQuery).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
    }
}
