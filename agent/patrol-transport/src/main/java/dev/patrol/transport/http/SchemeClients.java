package dev.patrol.transport.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The two JDK clients behind one pooled client: one for {@code http} URLs, whose exchanges run every task on the thread
 * that submits it, and one for {@code https} (and anything else), whose tasks go to the pool's threads. Each is built on
 * first use, so options used only for one kind of URL cost one client and one selector thread.
 *
 * <p>Why two: on a plain connection the JDK client's tasks (parse the response head, hand the body to its subscriber,
 * complete the exchange) are short, and handing each to a pool thread cost a wake-up and two context switches per
 * check — at 400 and 2,000 checks/s, a quarter to a third of a check's CPU (docs/BENCHMARKS.md). Run where they are
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

    private final Function<Executor, HttpClient> build;
    private final Executor tlsExecutor;
    private volatile HttpClient plain;
    private volatile HttpClient tls;

    /**
     * @param build builds a JDK client with the given executor and every other setting of the pooled client
     * @param tlsExecutor the executor of the {@code https} client
     */
    SchemeClients(Function<Executor, HttpClient> build, Executor tlsExecutor) {
        this.build = build;
        this.tlsExecutor = tlsExecutor;
    }

    /** The client for {@code uri}: the plain one for {@code http}, the TLS one otherwise. */
    HttpClient forUri(URI uri) {
        return "http".equalsIgnoreCase(uri.getScheme()) ? plain() : tls();
    }

    /** A client already built (the TLS one first), else the TLS one: for the settings both share. */
    HttpClient any() {
        HttpClient built = tls;
        if (built == null) {
            built = plain;
        }
        return built != null ? built : tls();
    }

    /** Calls {@code action} on each client built so far. */
    void forEachBuilt(Consumer<HttpClient> action) {
        HttpClient first = plain;
        HttpClient second = tls;
        if (first != null) {
            action.accept(first);
        }
        if (second != null) {
            action.accept(second);
        }
    }

    private HttpClient plain() {
        HttpClient client = plain;
        if (client == null) {
            synchronized (this) {
                if (plain == null) {
                    plain = build.apply(INLINE);
                }
                client = plain;
            }
        }
        return client;
    }

    private HttpClient tls() {
        HttpClient client = tls;
        if (client == null) {
            synchronized (this) {
                if (tls == null) {
                    tls = build.apply(tlsExecutor);
                }
                client = tls;
            }
        }
        return client;
    }

    @Override
    public String toString() {
        HttpClient built = tls != null ? tls : plain;
        return built != null ? built.toString() : "HttpClient (none built yet)";
    }
}
