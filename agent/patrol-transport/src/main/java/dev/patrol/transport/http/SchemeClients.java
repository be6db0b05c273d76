package dev.patrol.transport.http;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The two JDK clients behind one pooled client: one for {@code http} URLs, whose exchanges run every task on the thread
 * that submits it, and one for {@code https} (and anything else), whose tasks go to the pool's threads. Each is built on
 * first use, so options used only for one kind of URL cost one client and one selector thread.
 *
 * <p>Why two: on a plain connection the JDK client's tasks (parse the response head, hand the body to its subscriber,
 * complete the exchange) are short, and handing each to a pool thread cost a wake-up and two context switches per
 * check — at 400 and 2,000 checks/s, a sixth to a third of a check's CPU (docs/BENCHMARKS.md). Run where they are
 * submitted, they run on the client's selector thread, as in any event-loop client. A TLS connection's tasks include
 * the handshake (milliseconds of CPU each), which must not hold the one selector thread that serves every connection
 * of the client, so TLS clients keep the pool. A plain request redirected to {@code https} stays on the plain client:
 * it works, with that one handshake on the selector thread.
 *
 * <p>Thread-safe: each client is built once.
 */
final class SchemeClients {
    /** Runs the task where it is submitted. */
    static final Executor INLINE = Runnable::run;

    private final Built plain;
    private final Built tls;

    /**
     * @param build builds a JDK client with the given executor and every other setting of the pooled client
     * @param tlsExecutor the executor of the {@code https} client
     */
    SchemeClients(Function<Executor, HttpClient> build, Executor tlsExecutor) {
        this.plain = new Built(() -> build.apply(INLINE));
        this.tls = new Built(() -> build.apply(tlsExecutor));
    }

    /**
     * Sends on the client for the request's scheme: the plain one for {@code http}, the TLS one otherwise. Only the TLS
     * client's executor is a {@link CallerStart}, so only its sends mark this thread; the plain client runs every task
     * inline already.
     */
    <T> CompletableFuture<HttpResponse<T>> sendAsync(
            HttpRequest request, HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> push) {
        if ("http".equalsIgnoreCase(request.uri().getScheme())) {
            return plain.get().sendAsync(request, handler, push);
        }
        HttpClient client = tls.get();
        return CallerStart.during(() -> client.sendAsync(request, handler, push));
    }

    /** A client already built (the TLS one first), else the TLS one: for the settings both share. */
    HttpClient any() {
        HttpClient built = firstBuilt();
        return built != null ? built : tls.get();
    }

    /** The TLS client if built, else the plain one if built, else null. */
    private HttpClient firstBuilt() {
        HttpClient built = tls.ifBuilt();
        return built != null ? built : plain.ifBuilt();
    }

    /** Calls {@code action} on each client built so far. */
    void forEachBuilt(Consumer<HttpClient> action) {
        for (Built each : new Built[] {plain, tls}) {
            HttpClient client = each.ifBuilt();
            if (client != null) {
                action.accept(client);
            }
        }
    }

    /** One client, built by the first {@link #get} (a JDK client starts its selector thread when built). */
    private static final class Built {
        private final Supplier<HttpClient> factory;
        private volatile HttpClient client;

        Built(Supplier<HttpClient> factory) {
            this.factory = factory;
        }

        HttpClient get() {
            HttpClient built = client;
            if (built == null) {
                synchronized (this) {
                    if (client == null) {
                        client = factory.get();
                    }
                    built = client;
                }
            }
            return built;
        }

        HttpClient ifBuilt() {
            return client;
        }
    }

    @Override
    public String toString() {
        HttpClient built = firstBuilt();
        return built != null ? built.toString() : "HttpClient (none built yet)";
    }
}
