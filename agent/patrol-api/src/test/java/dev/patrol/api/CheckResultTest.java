package dev.patrol.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckResultTest {
    private static final Sample SAMPLE = Sample.gauge("queue_depth", 3);

    @Test
    void okCarriesNoReasonAndItsSamples() {
        assertThat(CheckResult.ok("fine")).isEqualTo(new CheckResult(Status.OK, Reason.NONE, "fine", "", List.of()));
        assertThat(CheckResult.ok("fine", List.of(SAMPLE)).samples()).containsExactly(SAMPLE);
    }

    @Test
    void eachFailureFactoryCarriesItsStatusAndReason() {
        assertThat(CheckResult.warning(Reason.CHECK_FAILED, "w"))
                .extracting(CheckResult::status, CheckResult::reason, CheckResult::summary)
                .containsExactly(Status.WARNING, Reason.CHECK_FAILED, "w");
        assertThat(CheckResult.critical(Reason.STATUS_MISMATCH, "HTTP 503"))
                .extracting(CheckResult::status, CheckResult::reason)
                .containsExactly(Status.CRITICAL, Reason.STATUS_MISMATCH);
        assertThat(CheckResult.unknown(Reason.TIMEOUT, "t"))
                .extracting(CheckResult::status, CheckResult::reason)
                .containsExactly(Status.UNKNOWN, Reason.TIMEOUT);
    }

    @Test
    void missingTextIsEmptyAndSamplesAreACopy() {
        List<Sample> samples = new ArrayList<>(List.of(SAMPLE));
        CheckResult result = new CheckResult(Status.OK, Reason.NONE, null, null, samples);
        samples.clear();

        assertThat(result.summary()).isEmpty();
        assertThat(result.output()).isEmpty();
        assertThat(result.samples()).containsExactly(SAMPLE).isUnmodifiable();
    }

    @Test
    void statusAndReasonAreRequired() {
        assertThatThrownBy(() -> new CheckResult(null, Reason.NONE, "", "", List.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("status");
        assertThatThrownBy(() -> new CheckResult(Status.OK, null, "", "", List.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("reason");
    }

    @Test
    void withSamplesAndWithOutputChangeOnlyThat() {
        CheckResult result = CheckResult.critical(Reason.CHECK_FAILED, "disk full");

        assertThat(result.withSamples(List.of(SAMPLE)))
                .isEqualTo(new CheckResult(Status.CRITICAL, Reason.CHECK_FAILED, "disk full", "", List.of(SAMPLE)));
        assertThat(result.withOutput("/ 99%"))
                .isEqualTo(new CheckResult(Status.CRITICAL, Reason.CHECK_FAILED, "disk full", "/ 99%", List.of()));
    }
}
