package dev.patrol.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RateLimitHeadersTest {
    private static final Instant NOW = Instant.parse("2026-12-01T22:00:00Z");

    private static HttpHeaders headers(String... pairs) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], List.of(pairs[i + 1]));
        }
        return HttpHeaders.of(map, (name, value) -> true);
    }

    @Test
    void githubsHeadersGiveTheCountAndAnEpochReset() {
        long reset = NOW.plusSeconds(1800).getEpochSecond();
        RateLimitHeaders left = RateLimitHeaders.of(
                        headers("X-RateLimit-Remaining", "4999", "X-RateLimit-Reset", String.valueOf(reset)), NOW)
                .orElseThrow();
        assertThat(left.remaining()).isEqualTo(4999);
        assertThat(left.untilReset()).isEqualTo(Duration.ofMinutes(30));
        assertThat(left.pauseWhenSpent()).isEmpty();
        assertThat(left.sample().name()).isEqualTo("patrol_http_rate_limit_remaining");
        assertThat(left.sample().value()).isEqualTo(4999.0);
    }

    @Test
    void theIetfHeadersGiveSecondsFromNowAndWinOverTheXHeaders() {
        RateLimitHeaders left = RateLimitHeaders.of(
                        headers(
                                "RateLimit-Remaining", "0",
                                "RateLimit-Reset", "5",
                                "X-RateLimit-Remaining", "7"),
                        NOW)
                .orElseThrow();
        assertThat(left.remaining()).isZero();
        assertThat(left.pauseWhenSpent()).contains(Duration.ofSeconds(5));
    }

    @Test
    void aCountWithoutAResetHasNoPause() {
        RateLimitHeaders left =
                RateLimitHeaders.of(headers("x-ratelimit-remaining", "0"), NOW).orElseThrow();
        assertThat(left.untilReset()).isNull();
        assertThat(left.pauseWhenSpent()).isEmpty();
    }

    @Test
    void aResetInThePastIsNowAndOneFarAwayIsCappedAtAnHour() {
        long past = NOW.minusSeconds(10).getEpochSecond();
        assertThat(RateLimitHeaders.of(
                                headers("RateLimit-Remaining", "1", "RateLimit-Reset", String.valueOf(past)), NOW)
                        .orElseThrow()
                        .untilReset())
                .isZero();
        assertThat(RateLimitHeaders.of(headers("RateLimit-Remaining", "1", "RateLimit-Reset", "86400"), NOW)
                        .orElseThrow()
                        .untilReset())
                .isEqualTo(Throttling.MAX_PAUSE);
    }

    @Test
    void aStructuredValueIsReadUpToItsFirstNumber() {
        assertThat(RateLimitHeaders.of(headers("RateLimit-Remaining", "59, 100;w=60"), NOW)
                        .orElseThrow()
                        .remaining())
                .isEqualTo(59);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "many", "-1", "1.5", "12345678901234567890"})
    void anythingElseIsNoCount(String value) {
        assertThat(RateLimitHeaders.of(headers("X-RateLimit-Remaining", value), NOW))
                .isEmpty();
    }

    @Test
    void noHeaderIsNoCount() {
        assertThat(RateLimitHeaders.of(headers("Content-Type", "application/json"), NOW))
                .isEmpty();
    }
}
