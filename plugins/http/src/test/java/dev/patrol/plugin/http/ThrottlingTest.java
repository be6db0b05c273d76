package dev.patrol.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ThrottlingTest {
    private static final Instant NOW = Instant.parse("2026-12-01T22:00:00Z");

    @Test
    void secondsArePausesFromNow() {
        assertThat(Throttling.retryAfter("5", NOW)).contains(Duration.ofSeconds(5));
        assertThat(Throttling.retryAfter(" 0 ", NOW)).contains(Duration.ZERO);
    }

    @Test
    void anHttpDateIsAPauseUntilThen() {
        assertThat(Throttling.retryAfter("Tue, 01 Dec 2026 22:00:30 GMT", NOW)).contains(Duration.ofSeconds(30));
        assertThat(Throttling.retryAfter("Tue, 01 Dec 2026 21:59:00 GMT", NOW))
                .as("in the past")
                .contains(Duration.ZERO);
    }

    @Test
    void aPauseIsCappedAtAnHour() {
        assertThat(Throttling.retryAfter("86400", NOW)).contains(Throttling.MAX_PAUSE);
        assertThat(Throttling.retryAfter("Wed, 09 Dec 2026 22:00:00 GMT", NOW)).contains(Throttling.MAX_PAUSE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "-5", "1.5", "2026-12-01T22:00:30Z", "99999999999"})
    void anythingElseIsNoRetryAfter(String value) {
        assertThat(Throttling.retryAfter(value, NOW)).isEmpty();
    }
}
