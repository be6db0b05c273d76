package dev.patrol.core.web;

import dev.patrol.core.config.WebSettings;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.tls.TlsMaterial;
import dev.patrol.transport.DaemonThreads;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.compression.gzip.GzipCompression;
import org.eclipse.jetty.compression.server.CompressionConfig;
import org.eclipse.jetty.compression.server.CompressionHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Patrol's HTTP endpoint on Jetty: {@code /metrics}, {@code /-/healthy}, {@code /-/ready}, {@code POST /-/reload},
 * {@code POST /-/jobs/<name>/run} and the status page at {@code /}.
 *
 * <p>Bounded under abuse: a fixed pool of {@link WebSettings#maxThreads()} threads with a bounded queue, at most
 * {@link WebSettings#maxConnections()} connections (more wait in the kernel's accept queue, so a burst is queued and
 * answered rather than cut off), an idle timeout, and a {@link HeaderTimeout} for clients that trickle their request
 * head.
 *
 * <p>Optionally secured as exporter-toolkit's web config: TLS from PEM files ({@link WebSettings#tls()}), re-read
 * every {@link #CERTIFICATE_CHECK_SECONDS} seconds when they change, and HTTP basic authentication against bcrypt
 * hashes on every path. {@link #apply} takes over new certificates, client authentication and users on a config
 * reload; the rest needs a restart.
 *
 * <pre>{@code
 * try (WebServer web = new WebServer(settings, registry, results, engine::isReady, reloader::reload, config::render)) {
 *     web.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe: {@link #start()} and {@link #close()} may be called from any thread; requests are served on the
 * server's own pool.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(WebServer.class);
    private static final int ACCEPTORS = 1;
    private static final int SELECTORS = 1;
    /**
     * Pool tasks one connection can have queued at once: reading its request, completing a write, closing. With the
     * queue this many times the connection limit, the pool never refuses a task, and a refused task would close its
     * connection with no answer at all (a burst of 1,000 scrapes lost 87 that way, each with a warning).
     */
    private static final int TASKS_PER_CONNECTION = 4;
    /**
     * Connections beyond {@code max-connections} wait unaccepted in the kernel's accept queue, up to this many (capped
     * by {@code net.core.somaxconn}); beyond that the kernel drops their SYN and clients retry the connect.
     */
    private static final int ACCEPT_QUEUE = 1024;

    static final long CERTIFICATE_CHECK_SECONDS = 5;

    private final WebSettings settings;
    private final Server server;
    private final ServerConnector connector;
    private final BasicAuthHandler auth;
    private final CertificateReloader certificates;
    private ScheduledExecutorService certificateChecks;

    /**
     * @param registry what {@code /metrics} exposes
     * @param results what the status page shows
     * @param ready whether {@code /-/ready} answers 200 (else 503)
     * @param reload runs a reload for {@code POST /-/reload}; called on a request thread
     * @param effectiveConfig the configuration text to show on the status page, secrets already masked; may be empty
     * @throws IllegalArgumentException when the TLS files cannot be used (the config loader checks them first)
     */
    public WebServer(
            WebSettings settings,
            CollectorRegistry registry,
            ResultStore results,
            BooleanSupplier ready,
            Supplier<ReloadResult> reload,
            Supplier<String> effectiveConfig) {
        this(settings, registry, results, ready, reload, effectiveConfig, JobTrigger.NONE);
    }

    /**
     * As above, with {@code jobs} starting a run for {@code POST /-/jobs/<name>/run} (authenticated as every path).
     */
    public WebServer(
            WebSettings settings,
            CollectorRegistry registry,
            ResultStore results,
            BooleanSupplier ready,
            Supplier<ReloadResult> reload,
            Supplier<String> effectiveConfig,
            JobTrigger jobs) {
        this.settings = settings;
        QueuedThreadPool threads = new QueuedThreadPool(
                settings.maxThreads(),
                Math.min(4, settings.maxThreads()),
                60_000,
                -1,
                // Bounded by the connection limit rather than by itself: see TASKS_PER_CONNECTION.
                new BlockingArrayQueue<>(TASKS_PER_CONNECTION * settings.maxConnections() + 64),
                null);
        threads.setName("patrol-web");
        server = new Server(threads);
        // No graceful stop: it would wait on every idle keep-alive connection (Prometheus always holds one), and a
        // scrape cut short by a shutdown is just a missed scrape.
        server.setStopTimeout(0);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        PemSslContextFactory tls = settings.tls() == null ? null : new PemSslContextFactory(tlsMaterial(settings));
        if (tls == null) {
            certificates = null;
            connector = new ServerConnector(server, ACCEPTORS, SELECTORS, new HttpConnectionFactory(http));
        } else {
            // Host checking against the certificate's names is the client's job; one certificate serves every name.
            http.addCustomizer(new SecureRequestCustomizer(false));
            certificates = new CertificateReloader(tls);
            // A plain-HTTP request to this port fails the handshake and the connection is closed at once.
            connector = new ServerConnector(
                    server,
                    ACCEPTORS,
                    SELECTORS,
                    new SslConnectionFactory(tls, "http/1.1"),
                    new HttpConnectionFactory(http));
        }
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.idleTimeoutMillis());
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(settings.maxConnections(), connector));

        HeaderTimeout headerTimeout =
                new HeaderTimeout(Duration.ofMillis(settings.headerTimeoutMillis()), connector.getScheduler());
        connector.addEventListener(headerTimeout);
        server.addBean(headerTimeout);

        WebHandler routes = new WebHandler(
                new MetricsEndpoint(registry),
                new StatusPage(results, effectiveConfig, Clock.systemUTC()),
                ready,
                reload,
                jobs);
        auth = new BasicAuthHandler(settings.basicAuthUsers(), gzip(routes));
        server.setHandler(headerTimeout.wrap(auth));
    }

    private static TlsMaterial tlsMaterial(WebSettings settings) {
        try {
            return TlsMaterial.load(settings.tls());
        } catch (TlsMaterial.Invalid e) {
            throw new IllegalArgumentException("patrol.web.tls." + e.key() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Binds and starts serving, and logs the address at INFO.
     *
     * @throws IOException if the address cannot be bound
     */
    public synchronized void start() throws IOException {
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new IOException(
                    "Cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
        if (certificates != null) {
            certificates.logServed("Serving TLS");
            certificateChecks =
                    Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("patrol-web-certificates"));
            certificateChecks.scheduleWithFixedDelay(
                    this::checkCertificates, CERTIFICATE_CHECK_SECONDS, CERTIFICATE_CHECK_SECONDS, TimeUnit.SECONDS);
        }
        logger.atInfo()
                .addKeyValue("basic_auth", auth.hasUsers() ? "on" : "off")
                .log("Listening on {}://{}:{}/", certificates == null ? "http" : "https", hostForUrl(), port());
    }

    /**
     * Takes over what can change while serving: the TLS files and client authentication, and the basic-auth users.
     *
     * @return whether everything in {@code next} is now in force; {@code false} when the listen address, limits or
     *     turning TLS on or off need a restart (the rest is applied all the same)
     */
    public synchronized boolean apply(WebSettings next) {
        auth.setUsers(next.basicAuthUsers());
        if (certificates != null && next.tls() != null) {
            certificates.update(next.tls());
        }
        return settings.sameListener(next);
    }

    private void checkCertificates() {
        try {
            certificates.check();
        } catch (RuntimeException e) {
            // Keep the schedule alive: a later check may succeed.
            logger.warn("Checking the TLS files failed", e);
        }
    }

    /** The bound port: the configured one, or the ephemeral one picked for port 0. -1 before {@link #start()}. */
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public synchronized void close() {
        if (certificateChecks != null) {
            certificateChecks.shutdownNow();
        }
        try {
            server.stop();
        } catch (Exception e) {
            logger.warn("Stopping the web server failed", e);
        }
    }

    private static Handler gzip(Handler routes) {
        GzipCompression gzip = new GzipCompression();
        // Scrapes of a few hundred bytes gain nothing from compression.
        gzip.setMinCompressSize(1024);
        CompressionHandler compression = new CompressionHandler(routes);
        compression.putCompression(gzip);
        // Compress GET answers only, and never inflate request bodies (no endpoint reads one).
        compression.putConfiguration(
                "/",
                CompressionConfig.builder()
                        .compressIncludeMethod("GET")
                        .decompressExcludeEncoding(gzip.getEncodingName())
                        .build());
        return compression;
    }

    private String hostForUrl() {
        String host = settings.host();
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
