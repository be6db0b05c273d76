package dev.patrol.core.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.patrol.transport.DaemonThreads;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real HTTP targets on loopback for {@code patrol demo}: a healthy JSON API, a flapping one, a slow one that outlives
 * its check's timeout, and a missing page. Nothing leaves 127.0.0.1.
 *
 * <p>Thread-safe; requests run on a small fixed pool so that the slow endpoint cannot starve the others.
 */
public final class DemoTargets implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, DaemonThreads.named("patrol-demo-http"));
    private final AtomicLong requests = new AtomicLong();

    private DemoTargets(HttpServer server) {
        this.server = server;
    }

    /** Starts the targets on 127.0.0.1 at a free port. */
    public static DemoTargets start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        DemoTargets targets = new DemoTargets(server);
        server.createContext("/health", targets::health);
        server.createContext("/flaky", targets::flaky);
        server.createContext("/slow", targets::slow);
        server.createContext("/", exchange -> respond(exchange, 404, "text/plain", "not found\n"));
        server.setExecutor(targets.executor);
        server.start();
        return targets;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code host:port} of the targets. */
    public String address() {
        return server.getAddress().getAddress().getHostAddress() + ":" + port();
    }

    private void health(HttpExchange exchange) throws IOException {
        long count = requests.incrementAndGet();
        // A queue that fills and drains, so the JSON-path sample visibly moves on the status page and in /metrics.
        long depth = (count * 7) % 50;
        String body = "{\"status\":\"ok\",\"queue\":{\"depth\":" + depth + ",\"consumers\":3},\"uptime_seconds\":"
                + count + "}\n";
        respond(exchange, 200, "application/json", body);
    }

    private void flaky(HttpExchange exchange) throws IOException {
        // Up for three minutes, down for one: the status page shows a check recovering and failing again.
        boolean down = (System.currentTimeMillis() / 60_000) % 4 == 3;
        respond(exchange, down ? 503 : 200, "text/plain", down ? "maintenance\n" : "ok\n");
    }

    private void slow(HttpExchange exchange) throws IOException {
        try {
            Thread.sleep(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        respond(exchange, 200, "text/plain", "finally\n");
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException e) {
            // The client gave up (the slow endpoint's check timed out); nothing to do.
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
