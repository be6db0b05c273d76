package dev.patrol.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ScheduleGapsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void aNightlyJobMayGoADay() {
        assertThat(ScheduleGaps.longest("0 0 2 * * ?", ZoneOffset.UTC, NOW)).isEqualTo(86_400);
    }

    @Test
    void aWeekdayJobMayGoOverTheWeekend() {
        assertThat(ScheduleGaps.longest("0 0 2 ? * MON-FRI", ZoneOffset.UTC, NOW))
                .isEqualTo(3 * 86_400);
    }

    @Test
    void aDaylightSavingChangeGivesTheLongerDay() {
        Instant beforeOctoberChange = Instant.parse("2026-10-01T00:00:00Z");

        assertThat(ScheduleGaps.longest("0 0 2 * * ?", ZoneId.of("Europe/Berlin"), beforeOctoberChange))
                .isEqualTo(86_400 + 3_600);
    }

    @Test
    void aJobRunOnlyByHandHasNone() {
        assertThat(ScheduleGaps.longest(null, ZoneOffset.UTC, NOW)).isZero();
    }
}
