package dev.patrol.transport.http;

import dev.patrol.api.HttpClientOptions;
import dev.patrol.transport.DaemonThreads;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP clients: one {@link HttpClient} per distinct {@link HttpClientOptions}, created on first use and
 * shared by every check and run with those options, so that connections are kept alive across runs.
 *
 * <p>A JDK client left to itself gets a cached thread pool that grows a thread per concurrent exchange. Here no client
 * does: {@code http} URLs go to a JDK client that runs its tasks where they are submitted (mostly on its selector
 * thread), {@code https} URLs to one that runs them on one executor owned by the pool, with a fixed number of threads
 * ({@link SchemeClients} says why), so ten thousand requests in flight cost memory, not threads. Each JDK client has
 * its own selector thread (the JDK's design). The start of each exchange runs on the thread that sends it
 * ({@link CallerStart}), not on the executor.
 *
 * <pre>{@code
 * try (HttpClientPool pool = new HttpClientPool()) {
 *     HttpClient client = pool.get(HttpClientOptions.defaults());
 *     client.sendAsync(request, BodyHandlers.discarding());
 * }
 * }</pre>
 *
 * <p>Every client closes the connection of an exchange whose response head could not be read, which the JDK client
 * leaves open ({@link ConnectionReleaser}).
 *
 * <p>Thread-safe. {@link #close()} stops the shared executor; the JDK 17 client has no {@code close()}, so a client's
 * selector thread and idle connections end when the client is no longer referenced.
 */
public final class HttpClientPool implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(HttpClientPool.class);

    private final Map<HttpClientOptions, HttpClient> clients = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor executor;
    /** What every client is given: {@link #executor}, except that each exchange starts on its sender's thread. */
    private final CallerStart clientExecutor;

    /** A pool whose {@code https} clients share {@code max(2, min(8, processors))} threads. */
    public HttpClientPool() {
        this(Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors())));
    }

    /** A pool whose {@code https} clients share {@code threads} threads for completions and body handling. */
    public HttpClientPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        JdkHttpLogging.suppress();
        this.executor = new ThreadPoolExecutor(
                threads,
                threads,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                DaemonThreads.named("patrol-http"));
        executor.allowCoreThreadTimeOut(true);
        this.clientExecutor = new CallerStart(executor);
    }

    /**
     * The client for {@code options}, created on first use.
     *
     * @throws IllegalArgumentException when the TLS files cannot be read or parsed; nothing is cached then, so a
     *     corrected file is picked up by the next call
     * @throws IllegalStateException after {@link #close()}
     */
    public HttpClient get(HttpClientOptions options) {
        HttpClient client = clients.get(options);
        if (client != null) {
            return client;
        }
        if (executor.isShutdown()) {
            throw new IllegalStateException("the HTTP client pool is closed");
        }
        return clients.computeIfAbsent(options, this::create);
    }

    /** How many distinct clients exist. */
    public int size() {
        return clients.size();
    }

    private HttpClient create(HttpClientOptions options) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                .followRedirects(options.followRedirects() ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
                .version(options.http2() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
        boolean customTls =
                options.caFile() != null || options.insecureSkipVerify() || options.clientCertFile() != null;
        if (customTls) {
            builder.sslContext(TlsContexts.create(options));
        }
        logger.debug(
                "Creating HTTP client ca_file={} insecure_skip_verify={} client_cert={} redirects={} http2={}",
                options.caFile(),
                options.insecureSkipVerify(),
                options.clientCertFile(),
                options.followRedirects() ? "follow" : "none",
                options.http2());
        // Builder.build() copies the builder's state, so one builder serves both clients, each with its executor.
        SchemeClients clientsByScheme = new SchemeClients(
                executor -> {
                    synchronized (builder) {
                        return builder.executor(executor).build();
                    }
                },
                clientExecutor);
        HttpClient[] self = new HttpClient[1];
        self[0] = new ReleasingHttpClient(clientsByScheme, () -> retire(options, self[0]));
        return self[0];
    }

    /**
     * Takes {@code client} out of the pool after it failed to release a connection, and shuts it down where the JDK
     * can (21 and later): its in-flight exchanges finish, then every connection it holds is closed. Later calls to
     * {@link #get} build a new client. On JDK 17 a client cannot be shut down, so it stays in use.
     */
    private void retire(HttpClientOptions options, HttpClient client) {
        if (ConnectionReleaser.canShutDown() && clients.remove(options, client)) {
            logger.debug("Retiring an HTTP client that holds a connection it cannot release");
            ((ReleasingHttpClient) client).shutDownDelegate();
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        clients.clear();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** For tests: the shared executor every {@code https} client is given. */
    Executor executor() {
        return clientExecutor;
    }
}
