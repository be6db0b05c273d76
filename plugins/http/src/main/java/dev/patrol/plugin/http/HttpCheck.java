package dev.patrol.plugin.http;

import dev.patrol.api.CheckContext;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckResult;
import dev.patrol.api.HttpClientOptions;
import dev.patrol.api.Reason;
import dev.patrol.api.Sample;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import dev.patrol.api.UrlRedaction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One configured http check: sends the request through the agent's pooled client, reads at most
 * {@code max-response-size} of the body, and judges status, body and JSON samples.
 *
 * <p>Everything that does not depend on the target or the run (client options, headers, the body handler) is worked
 * out once here, so a run allocates little beyond the request and response. Immutable and thread-safe; one instance
 * runs concurrently against many targets.
 */
final class HttpCheck implements CheckDefinition {
    private final HttpSettings settings;
    private final HttpClientOptions clientOptions;
    private final String[] headers;
    private final byte[] body;
    private final boolean readsBody;
    private final HttpResponse.BodyHandler<CappedBody> bodyHandler;
    private final Throttling throttling;

    private final SamplesFrom samplesFrom;

    HttpCheck(HttpSettings settings) {
        this(settings, new Throttling(Throttling.OnThrottled.SKIP), SamplesFrom.NONE);
    }

    HttpCheck(HttpSettings settings, Throttling throttling, SamplesFrom samplesFrom) {
        this.settings = settings;
        this.throttling = throttling;
        this.samplesFrom = samplesFrom;
        TlsSettings tls = settings.tls();
        this.clientOptions = new HttpClientOptions(
                tls.caFile(),
                tls.insecureSkipVerify(),
                tls.certFile(),
                tls.keyFile(),
                settings.redirects() == HttpSettings.Redirects.FOLLOW,
                settings.httpVersion() == HttpSettings.HttpVersion.HTTP2,
                settings.connectTimeout());
        List<String> pairs = new ArrayList<>();
        settings.headers().forEach((name, value) -> {
            pairs.add(name);
            pairs.add(value);
        });
        if (settings.authorization() != null) {
            pairs.add("Authorization");
            pairs.add(settings.authorization().reveal());
        }
        this.headers = pairs.toArray(new String[0]);
        this.body = settings.body() == null ? null : settings.body().getBytes(StandardCharsets.UTF_8);
        this.readsBody = settings.readsBody() || !samplesFrom.isEmpty();
        long cap = settings.maxResponseSize();
        // A HEAD response declares the length of a body it does not send, so its Content-Length proves nothing.
        boolean failFast = settings.responseTooLarge() == HttpSettings.TooLarge.CRITICAL
                && !settings.method().equals("HEAD");
        this.bodyHandler = info -> new CappedBodySubscriber(
                cap,
                readsBody,
                info.headers().firstValueAsLong("content-length").orElse(-1),
                failFast);
    }

    HttpSettings settings() {
        return settings;
    }

    HttpClientOptions clientOptions() {
        return clientOptions;
    }

    @Override
    public boolean needsTargets() {
        return !settings.url().isFixed();
    }

    @Override
    public Target implicitTarget() {
        URI uri = settings.url().fixed();
        boolean https = uri.getScheme().equalsIgnoreCase("https");
        int defaultPort = https ? 443 : 80;
        int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
        String name = port == defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
        return Target.of(name, uri.getHost(), port);
    }

    @Override
    public CompletionStage<CheckResult> run(Target target, CheckContext context) {
        URI uri;
        try {
            uri = settings.url().render(target);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(CheckResult.unknown(Reason.CHECK_FAILED, e.getMessage()));
        }
        HttpClient client;
        try {
            client = context.http(clientOptions);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(
                    CheckResult.unknown(Reason.TLS_FAILED, "Cannot set up the HTTP client: " + e.getMessage()));
        }
        Duration remaining = context.remaining();
        if (remaining.isZero()) {
            return CompletableFuture.completedFuture(
                    CheckResult.critical(Reason.TIMEOUT, "No time left before the deadline"));
        }
        // No request timeout: the context's cancel at the deadline (below) ends the exchange, and a JDK request
        // timeout would register a timer with the client's selector, waking its thread once more per request.
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .method(
                        settings.method(),
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        long start = System.nanoTime();
        AtomicReference<HttpResponse.ResponseInfo> head = new AtomicReference<>();
        AtomicReference<CompletableFuture<CappedBody>> read = new AtomicReference<>();
        CompletableFuture<HttpResponse<CappedBody>> exchange = client.sendAsync(request.build(), info -> {
            HttpResponse.BodySubscriber<CappedBody> subscriber = bodyHandler.apply(info);
            head.set(info);
            read.set(subscriber.getBody().toCompletableFuture());
            return subscriber;
        });
        // Cancelling the client's future aborts the exchange and closes its connection (JDK 16+): a black-holed or
        // trickling server cannot hold a socket past the deadline.
        context.cancelled().whenComplete((ignored, error) -> exchange.cancel(true));
        CompletableFuture<CompletionStage<CheckResult>> judged = exchange.handle((response, error) -> {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (error == null) {
                Optional<RateLimitHeaders> quota =
                        RateLimitHeaders.of(response.headers(), context.clock().instant());
                CheckResult throttled = throttling.judge(response, quota, context, millis);
                if (throttled != null) {
                    return CompletableFuture.completedFuture(throttled);
                }
                URI next = samplesFrom.maxPages() > 1
                                && settings.expectStatus().accepts(response.statusCode())
                                && !response.body().overCap()
                        ? PageFollower.next(response.headers(), uri, uri)
                        : null;
                if (next == null) {
                    return CompletableFuture.completedFuture(judge(response, quota, millis, PageFollower.Pages.NONE));
                }
                return new PageFollower(client, headers, bodyHandler, throttling, context, uri, samplesFrom.maxPages())
                        .follow(next)
                        .thenApply(pages -> judge(response, quota, millis, pages));
            }
            CappedBody body = readBody(read.get());
            if (body != null && body.overCap()) {
                // Over HTTP/2, cancelling the body at the cap resets the stream, and the client may then fail the
                // exchange although the capped body was complete: judge what was read, as over HTTP/1.1.
                HttpResponse.ResponseInfo info = head.get();
                List<Sample> samples = new ArrayList<>(8);
                HttpOutcome.addResponseSamples(info.statusCode(), body.received(), info.version(), samples);
                return CompletableFuture.completedFuture(
                        judge(info.statusCode(), info.headers(), body, samples, millis, PageFollower.Pages.NONE));
            }
            if (HttpOutcome.isIoFailure(error)) {
                // Never the full URL: its query may carry a token.
                context.log().log(
                        System.Logger.Level.DEBUG,
                        () -> "HTTP request to " + UrlRedaction.redact(uri.toString()) + " failed",
                        error);
                return CompletableFuture.completedFuture(HttpOutcome.failure(error, millis));
            }
            throw error instanceof CompletionException completion ? completion : new CompletionException(error);
        });
        return judged.thenCompose(Function.identity());
    }

    private CheckResult judge(
            HttpResponse<CappedBody> response,
            Optional<RateLimitHeaders> quota,
            long millis,
            PageFollower.Pages pages) {
        List<Sample> samples = new ArrayList<>(8);
        HttpOutcome.addResponseSamples(response, samples);
        quota.ifPresent(left -> samples.add(left.sample()));
        return judge(response.statusCode(), response.headers(), response.body(), samples, millis, pages);
    }

    private static CappedBody readBody(CompletableFuture<CappedBody> body) {
        return body == null || !body.isDone() || body.isCompletedExceptionally() ? null : body.join();
    }

    private CheckResult judge(
            int code,
            HttpHeaders headers,
            CappedBody captured,
            List<Sample> samples,
            long millis,
            PageFollower.Pages pages) {
        String head = "HTTP " + code + " in " + millis + " ms";
        if (captured.overCap() && settings.responseTooLarge() == HttpSettings.TooLarge.CRITICAL) {
            return CheckResult.critical(
                            Reason.RESPONSE_TOO_LARGE,
                            head + ", body larger than max-response-size " + settings.maxResponseSize() + " B")
                    .withSamples(samples);
        }
        if (!settings.expectStatus().accepts(code)) {
            return CheckResult.critical(Reason.STATUS_MISMATCH, head + ", expected " + settings.expectStatus())
                    .withSamples(samples);
        }
        String truncated = captured.overCap() ? " (judged on the first " + settings.maxResponseSize() + " B)" : "";
        String note = "";
        if (readsBody) {
            String text = captured.text(headers);
            if (!samplesFrom.isEmpty()) {
                List<String> texts = new ArrayList<>(1 + pages.bodies().size());
                texts.add(text);
                texts.addAll(pages.bodies());
                SamplesFrom.Extraction many = samplesFrom.extract(texts);
                samples.addAll(many.samples());
                note = (texts.size() > 1 ? " [" + texts.size() + " pages]" : "")
                        + (many.note() == null ? "" : " [" + many.note() + "]");
            }
            for (Pattern pattern : settings.bodyMatches()) {
                if (!pattern.matcher(text).find()) {
                    return CheckResult.critical(
                                    Reason.BODY_MISMATCH, head + ", body does not match '" + pattern + "'" + truncated)
                            .withSamples(samples);
                }
            }
            for (Pattern pattern : settings.bodyNotMatches()) {
                if (pattern.matcher(text).find()) {
                    return CheckResult.critical(
                                    Reason.BODY_MISMATCH, head + ", body matches '" + pattern + "'" + truncated)
                            .withSamples(samples);
                }
            }
            if (!settings.samples().isEmpty()) {
                JsonSamples.Extraction extraction = settings.samples().extract(text);
                samples.addAll(extraction.samples());
                if (extraction.problem() != null) {
                    return new CheckResult(
                            Status.WARNING,
                            Reason.PARSE_FAILED,
                            head + ", " + extraction.problem() + truncated,
                            "",
                            samples);
                }
            }
        }
        if (pages.problem() != null) {
            // The endpoint answered; only the data is incomplete, as with a JSON path that is not found.
            return new CheckResult(
                    Status.WARNING,
                    Reason.PARSE_FAILED,
                    head + ", samples-from read " + (1 + pages.bodies().size()) + " pages, then " + pages.problem(),
                    "",
                    samples);
        }
        return CheckResult.ok(head + " (" + settings.expectStatus() + " expected)" + truncated + note, samples);
    }

    @Override
    public String toString() {
        return "http " + settings.method() + " " + settings.url();
    }
}
