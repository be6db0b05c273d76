package dev.patrol.plugin.http;

import dev.patrol.api.CheckContext;
import dev.patrol.api.CheckResult;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the further pages of a paginated answer for {@code samples-from}: follows {@code Link: <...>; rel="next"}
 * (RFC 8288, as GitHub and GitLab send it) up to {@code max-pages} pages in all. Each page waits for a token of the
 * check's rate limit ({@link CheckContext#nextRequest}) and is bounded by the run's deadline; cancelling the run
 * cancels the page in flight. A link to another scheme, host or port is not followed, so the request's credentials
 * never leave the server the check names.
 *
 * <p>One per run. Its steps run one after another, each started by the previous one's completion.
 */
final class PageFollower {
    /** {@code <uri>} then its parameters, up to the next link of a comma-separated list. */
    private static final Pattern LINK = Pattern.compile("<([^>]*)>([^,<]*)");

    /**
     * @param bodies the pages after the first, in order
     * @param problem why reading stopped before the last page, or null
     */
    record Pages(List<String> bodies, String problem) {
        static final Pages NONE = new Pages(List.of(), null);
    }

    private final HttpClient client;
    private final String[] headers;
    private final HttpResponse.BodyHandler<CappedBody> bodyHandler;
    private final Throttling throttling;
    private final CheckContext context;
    private final URI origin;
    private final int maxPages;
    private final List<String> bodies = new ArrayList<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicReference<CompletableFuture<?>> inFlight = new AtomicReference<>();

    PageFollower(
            HttpClient client,
            String[] headers,
            HttpResponse.BodyHandler<CappedBody> bodyHandler,
            Throttling throttling,
            CheckContext context,
            URI origin,
            int maxPages) {
        this.client = client;
        this.headers = headers;
        this.bodyHandler = bodyHandler;
        this.throttling = throttling;
        this.context = context;
        this.origin = origin;
        this.maxPages = maxPages;
    }

    /** Reads from {@code next} on, page 2 being {@code next}. */
    CompletionStage<Pages> follow(URI next) {
        context.cancelled().whenComplete((ignored, error) -> {
            cancelled.set(true);
            CompletableFuture<?> exchange = inFlight.get();
            if (exchange != null) {
                exchange.cancel(true);
            }
        });
        return page(next, 2);
    }

    private CompletionStage<Pages> page(URI uri, int number) {
        return context.nextRequest().thenCompose(granted -> {
            Duration remaining = context.remaining();
            if (!granted || remaining.isZero()) {
                return done("no rate-limit token or time left for page " + number);
            }
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(uri).timeout(remaining).GET();
            if (headers.length > 0) {
                request.headers(headers);
            }
            CompletableFuture<HttpResponse<CappedBody>> exchange = client.sendAsync(request.build(), bodyHandler);
            inFlight.set(exchange);
            if (cancelled.get()) {
                exchange.cancel(true); // the run was cancelled while this page waited for its token
            }
            return exchange.handle((response, error) -> error != null
                            ? done("page " + number + ": "
                                    + HttpOutcome.reasonOf(error).label())
                            : read(response, uri, number))
                    .thenCompose(Function.identity());
        });
    }

    private CompletionStage<Pages> read(HttpResponse<CappedBody> response, URI uri, int number) {
        int code = response.statusCode();
        Optional<RateLimitHeaders> quota =
                RateLimitHeaders.of(response.headers(), context.clock().instant());
        CheckResult throttled = throttling.judge(response, quota, context, 0);
        if (throttled != null) {
            return done("page " + number + ": HTTP " + code + ", throttled by the server");
        }
        if (code / 100 != 2) {
            return done("page " + number + ": HTTP " + code);
        }
        if (response.body().overCap()) {
            return done("page " + number + ": larger than max-response-size");
        }
        bodies.add(response.body().text(response.headers()));
        URI next = next(response.headers(), uri, origin);
        return next != null && number < maxPages ? page(next, number + 1) : done(null);
    }

    private CompletionStage<Pages> done(String problem) {
        return CompletableFuture.completedFuture(new Pages(List.copyOf(bodies), problem));
    }

    /** The {@code rel="next"} link of {@code headers}, resolved against {@code current}; null when none or elsewhere. */
    static URI next(HttpHeaders headers, URI current, URI origin) {
        for (String value : headers.allValues("link")) {
            Matcher link = LINK.matcher(value);
            while (link.find()) {
                if (!isNext(link.group(2))) {
                    continue;
                }
                try {
                    String reference = link.group(1).trim();
                    // URI.resolve follows RFC 2396, which drops the last path segment before a bare "?query".
                    URI next = reference.startsWith("?")
                            ? new URI(current.getScheme(), current.getRawAuthority(), current.getPath(), null, null)
                                    .resolve(current.getRawPath() + reference)
                            : current.resolve(reference);
                    return sameServer(next, origin) ? next : null;
                } catch (IllegalArgumentException | URISyntaxException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Whether link parameters such as {@code ; rel="next"} or {@code ; rel="prev next"} name {@code next}. */
    private static boolean isNext(String parameters) {
        for (String parameter : parameters.split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("rel")) {
                String rels = pair[1].trim().replace("\"", "").toLowerCase(Locale.ROOT);
                if (List.of(rels.split("\\s+")).contains("next")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean sameServer(URI next, URI origin) {
        return next.getScheme() != null
                && next.getHost() != null
                && next.getScheme().equalsIgnoreCase(origin.getScheme())
                && next.getHost().equalsIgnoreCase(origin.getHost())
                && port(next) == port(origin);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }
}
