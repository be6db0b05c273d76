package dev.patrol.plugin.http;

import dev.patrol.api.Sample;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a response says about the requests its API still allows: {@code RateLimit-Remaining} (the IETF draft) or
 * {@code X-RateLimit-Remaining} (GitHub, GitLab and many others), and when that count resets, from
 * {@code RateLimit-Reset} or {@code X-RateLimit-Reset}: seconds from now, or, above 10^9, seconds since the epoch as
 * GitHub sends it.
 *
 * @param remaining requests left in the API's current window, never negative
 * @param untilReset how long until the window resets, at most {@link Throttling#MAX_PAUSE}; null when not said
 */
record RateLimitHeaders(long remaining, Duration untilReset) {
    /** The gauge of the last response's remaining count. */
    static final String REMAINING = "patrol_http_rate_limit_remaining";

    /** A count: digits, possibly followed by more of a structured value ({@code 59, 100;w=60}) that is not read. */
    private static final Pattern LEADING_NUMBER = Pattern.compile("\\s*(\\d{1,15})\\s*(?:[,;].*)?");
    /** Reset values above this are epoch seconds (2001-09-09); below it, seconds from now. */
    private static final long EPOCH_SECONDS_FROM = 1_000_000_000L;

    /** The headers' counts, or empty when the response carries no readable remaining count. */
    static Optional<RateLimitHeaders> of(HttpHeaders headers, Instant now) {
        Long remaining = number(headers, "ratelimit-remaining");
        if (remaining == null) {
            remaining = number(headers, "x-ratelimit-remaining");
        }
        if (remaining == null) {
            return Optional.empty();
        }
        Long reset = number(headers, "ratelimit-reset");
        if (reset == null) {
            reset = number(headers, "x-ratelimit-reset");
        }
        return Optional.of(new RateLimitHeaders(remaining, reset == null ? null : untilReset(reset, now)));
    }

    /** The sample every response with a remaining count yields. */
    Sample sample() {
        return Sample.metric(REMAINING, Sample.Kind.GAUGE, Map.of(), remaining);
    }

    /** Whether the API allows nothing more until a known reset, the pause a throttled answer without Retry-After gets. */
    Optional<Duration> pauseWhenSpent() {
        return remaining == 0 && untilReset != null ? Optional.of(untilReset) : Optional.empty();
    }

    private static Duration untilReset(long value, Instant now) {
        Duration until = value >= EPOCH_SECONDS_FROM
                ? Duration.between(now, Instant.ofEpochSecond(value))
                : Duration.ofSeconds(value);
        if (until.isNegative()) {
            return Duration.ZERO;
        }
        return until.compareTo(Throttling.MAX_PAUSE) > 0 ? Throttling.MAX_PAUSE : until;
    }

    private static Long number(HttpHeaders headers, String name) {
        Optional<String> value = headers.firstValue(name);
        if (value.isEmpty()) {
            return null;
        }
        Matcher matcher = LEADING_NUMBER.matcher(value.get());
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : null;
    }
}
