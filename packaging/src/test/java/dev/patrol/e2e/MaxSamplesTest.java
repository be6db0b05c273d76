package dev.patrol.e2e;

import static dev.patrol.e2e.SshCommandRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patrol.api.CheckResult;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.Sample;
import dev.patrol.core.metrics.SampleLimits;
import org.junit.jupiter.api.Test;

/** max-samples and the agent's per-run limit are one limit: whatever max-samples keeps, the agent exposes. */
class MaxSamplesTest {

    private static String series(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append("s").append(i).append(' ').append(i).append('\n');
        }
        return text.toString();
    }

    @Test
    void theHighestMaxSamplesIsTheAgentsPerRunLimitLessTheExitStatus() {
        assertThat(SshCommandRuns.MAX_SAMPLES + 1).isEqualTo(Sample.MAX_PER_RUN);
        assertThat(SshCommandRuns.parse("command = x, max-samples = " + SshCommandRuns.MAX_SAMPLES))
                .isNotNull();
        assertThatThrownBy(() -> SshCommandRuns.parse("command = x, max-samples = " + Sample.MAX_PER_RUN))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("max-samples");
    }

    @Test
    void everySampleTheHighestMaxSamplesKeepsIsExposedAndTheSummaryCountsTheRest() throws Exception {
        int max = SshCommandRuns.MAX_SAMPLES;
        CheckResult result = run("command = x, output = prometheus, max-samples = " + max, series(3000));

        SampleLimits.Applied applied = SampleLimits.apply(result.samples());

        assertThat(result.summary())
                .isEqualTo(max + " samples [" + (3000 - max) + " samples over max-samples = " + max + " dropped]");
        assertThat(applied.dropped()).isEmpty();
        assertThat(applied.kept()).hasSize(max + 1);
    }

    @Test
    void perfdataAtTheHighestMaxSamplesIsExposedWhole() throws Exception {
        int max = SshCommandRuns.MAX_SAMPLES;
        StringBuilder perfdata = new StringBuilder("OK |");
        for (int i = 0; i < 2000; i++) {
            perfdata.append(" p").append(i).append('=').append(i);
        }
        CheckResult result = run("command = x, max-samples = " + max, perfdata + "\n");

        assertThat(SampleLimits.apply(result.samples()).dropped()).isEmpty();
        assertThat(result.samples()).hasSize(max + 1);
        assertThat(result.summary()).endsWith("[" + (2000 - max) + " samples over max-samples = " + max + " dropped]");
    }
}
