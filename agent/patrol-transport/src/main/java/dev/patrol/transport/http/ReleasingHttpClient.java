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
    private final HttpClient delegate;
    private final Runnable unreleased;

    /**
     * @param delegate the JDK client
     * @param unreleased what to do when a connection could not be released here (the pool retires the client)
     */
    ReleasingHttpClient(HttpClient delegate, Runnable unreleased) {
        this.delegate = delegate;
        this.unreleased = unreleased;
    }

    /** Shuts the JDK client down where the runtime can (JDK 21+); see {@link ConnectionReleaser#shutDown}. */
    void shutDownDelegate() {
        ConnectionReleaser.shutDown(delegate);
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
        CompletableFuture<HttpResponse<T>> future =
                CallerStart.during(() -> delegate.sendAsync(request, watched, push));
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
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
