package dev.patrol.transport.http;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A pooled JDK client that makes sure an exchange which failed before its response head was read does not keep its
 * connection (see {@link ConnectionReleaser} for the JDK behaviour this works around). Every other early end already
 * closes the connection inside the JDK: a cancelled future or a request timeout closes it, and a body subscriber that
 * cancels its subscription makes the client drop it.
 *
 * <p>The head is known to be read once the body handler has been asked for a subscriber; a failure before that is the
 * case the JDK leaves open. A failure after it is never acted on here, because by then the JDK may have returned the
 * connection to its pool for another exchange. Thread-safe, like the client it wraps.
 */
final class ReleasingHttpClient extends HttpClient {
    private final SchemeClients delegates;
    private final Runnable unreleased;

    /**
     * @param delegates the JDK clients, one per kind of URL
     * @param unreleased what to do when a connection could not be released here (the pool retires the client)
     */
    ReleasingHttpClient(SchemeClients delegates, Runnable unreleased) {
        this.delegates = delegates;
        this.unreleased = unreleased;
    }

    /** Shuts the JDK clients down where the runtime can (JDK 21+); see {@link ConnectionReleaser#shutDown}. */
    void shutDownDelegate() {
        delegates.forEachBuilt(ConnectionReleaser::shutDown);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return sendAsync(request, handler, null);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
            HttpRequest request, HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> push) {
        AtomicBoolean headRead = new AtomicBoolean();
        HttpResponse.BodyHandler<T> watched = info -> {
            headRead.set(true);
            return handler.apply(info);
        };
        CompletableFuture<HttpResponse<T>> future = delegates.sendAsync(request, watched, push);
        Object exchange = ConnectionReleaser.capture(future);
        future.whenComplete((response, error) -> {
            if (error == null || headRead.get()) {
                return;
            }
            if (exchange != null) {
                ConnectionReleaser.close(exchange);
            } else {
                ConnectionReleaser.warnUnavailable();
                unreleased.run();
            }
        });
        return future;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        // The blocking call goes through the asynchronous one so that it gets the same release on failure.
        CompletableFuture<HttpResponse<T>> future = sendAsync(request, handler);
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        }
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegates.any().cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegates.any().connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegates.any().followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegates.any().proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegates.any().sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegates.any().sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegates.any().authenticator();
    }

    @Override
    public Version version() {
        return delegates.any().version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegates.any().executor();
    }

    @Override
    public String toString() {
        return delegates.toString();
    }
}
