package dev.patrol.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RateTest {
    @ParameterizedTest
    @CsvSource({"10/s, 10, PT1S", "600/m, 600, PT1M", "1/h, 1, PT1H", "' 5 / s ', 5, PT1S"})
    void parsesRequestsPerPeriod(String text, long permits, Duration per) {
        assertThat(Rate.parse(text)).contains(new Rate(permits, per));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "10/d", "0/s", "-1/s", "1.5/s", "ten/s", "10/sec", "10 per s"})
    void rejectsAnythingElse(String text) {
        assertThat(Rate.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"10/s, 100000000", "600/m, 100000000", "1/h, 3600000000000"})
    void spacesTokensEvenly(String text, double nanos) {
        assertThat(Rate.parse(text).orElseThrow().nanosPerToken()).isEqualTo(nanos);
    }
}
