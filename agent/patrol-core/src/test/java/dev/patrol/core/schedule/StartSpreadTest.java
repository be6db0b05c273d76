package dev.patrol.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.core.state.SeriesKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StartSpreadTest {
    private static final Duration INTERVAL = Duration.ofSeconds(30);

    @Test
    void firstFireIsWithinOneIntervalAndStable() {
        Instant now = Instant.parse("2026-11-21T12:00:00.123Z");
        SeriesKey key = new SeriesKey("root-disk", "web-1");
        Instant first = StartSpread.firstFire(key, INTERVAL, now);
        assertThat(first).isBetween(now, now.plus(INTERVAL));
        assertThat(StartSpread.firstFire(key, INTERVAL, now)).isEqualTo(first);
        // The same phase seen later: fires land on the same grid whenever the agent starts.
        Instant later = StartSpread.firstFire(key, INTERVAL, now.plusSeconds(1000));
        assertThat(Duration.between(first, later).toMillis() % INTERVAL.toMillis())
                .isZero();
    }

    @Test
    void tenThousandTargetsSpreadEvenlyOverTheInterval() {
        Instant now = Instant.parse("2026-11-21T12:00:00Z");
        int[] buckets = new int[10];
        for (int i = 0; i < 10_000; i++) {
            Instant first = StartSpread.firstFire(new SeriesKey("ping", "host-" + i), INTERVAL, now);
            long offset = Duration.between(now, first).toMillis();
            buckets[(int) (offset * 10 / INTERVAL.toMillis())]++;
        }
        for (int count : buckets) {
            assertThat(count).isBetween(850, 1150);
        }
    }
}
