package dev.patrol.plugin.http;

import com.typesafe.config.Config;
import dev.patrol.api.CheckContext;
import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.SettingsReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * What an http check does when the server says it is asked too often: HTTP 429, or 503 with {@code Retry-After}. It
 * tells the agent through {@link CheckContext#throttled}, which pauses the check's rate limit (or the check on that
 * target) for the Retry-After, and the run is skipped ({@code on-throttled = skip}) or recorded as UNKNOWN
 * ({@code on-throttled = unknown}); never CRITICAL, since the target is not down.
 *
 * @param onThrottled what becomes of the run
 */
record Throttling(OnThrottled onThrottled) {
    /** The longest pause a Retry-After may ask for; a broken header must not silence a check for days. */
    static final Duration MAX_PAUSE = Duration.ofHours(1);

    enum OnThrottled {
        SKIP,
        UNKNOWN
    }

    static Throttling from(Config config) {
        SettingsReader reader = new SettingsReader(config);
        OnThrottled onThrottled = reader.oneOf("on-throttled", OnThrottled.class);
        reader.throwIfInvalid();
        return new Throttling(onThrottled);
    }

    /**
     * Passes the response's remaining count on to the context, then returns the result of a throttled response after
     * telling the context, or null when {@code response} is not one: a 429, a 503 with {@code Retry-After}, or a 403
     * that says no requests are left ({@code X-RateLimit-Remaining: 0}, how GitHub refuses past its limit). Without
     * {@code Retry-After} the pause lasts until the count's reset.
     */
    CheckResult judge(HttpResponse<?> response, Optional<RateLimitHeaders> quota, CheckContext context, long millis) {
        quota.ifPresent(left -> context.rateLimitRemaining(left.remaining(), left.untilReset()));
        int code = response.statusCode();
        Optional<Duration> retryAfter = response.headers()
                .firstValue("retry-after")
                .flatMap(value -> retryAfter(value, context.clock().instant()));
        boolean spent = quota.map(left -> left.remaining() == 0).orElse(false);
        if (code != 429 && !(code == 503 && retryAfter.isPresent()) && !(code == 403 && spent)) {
            return null;
        }
        Duration pause = retryAfter
                .or(() -> quota.flatMap(RateLimitHeaders::pauseWhenSpent))
                .orElse(Duration.ZERO);
        context.throttled(pause, onThrottled == OnThrottled.SKIP);
        String why = retryAfter.isPresent() ? "Retry-After" : "until the rate limit resets";
        return CheckResult.unknown(
                Reason.THROTTLED,
                "HTTP " + code + " in " + millis + " ms: throttled by the server"
                        + (pause.isZero() ? "" : ", paused for " + pause.toSeconds() + " s (" + why + ")"));
    }

    /**
     * A {@code Retry-After} value as a pause from {@code now}: delay-seconds or an HTTP date, capped at
     * {@link #MAX_PAUSE}; a date in the past is no pause; empty when the value is neither.
     */
    static Optional<Duration> retryAfter(String value, Instant now) {
        String text = value.trim();
        if (text.matches("\\d{1,10}")) {
            return Optional.of(cap(Duration.ofSeconds(Long.parseLong(text))));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT))
                    .toInstant();
            Duration pause = Duration.between(now, at);
            return Optional.of(pause.isNegative() ? Duration.ZERO : cap(pause));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration cap(Duration pause) {
        return pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause;
    }
}
