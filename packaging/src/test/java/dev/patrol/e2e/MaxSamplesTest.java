package dev.patrol.plugin.sshcommand;

import static dev.patrol.plugin.sshcommand.SshCommandCheckTest.exited;
import static dev.patrol.plugin.sshcommand.SshCommandCheckTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.CheckResult;
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
        assertThat(SshCommandSettings.MAX_SAMPLES_LIMIT + 1).isEqualTo(Sample.MAX_PER_RUN);
    }

    @Test
    void everySampleTheHighestMaxSamplesKeepsIsExposedAndTheSummaryCountsTheRest() throws Exception {
        int max = SshCommandSettings.MAX_SAMPLES_LIMIT;
        CheckResult result = run("command = x, output = prometheus, max-samples = " + max, exited(0, series(3000)));

        SampleLimits.Applied applied = SampleLimits.apply(result.samples());

        assertThat(result.summary())
                .isEqualTo(max + " samples [" + (3000 - max) + " samples over max-samples = " + max + " dropped]");
        assertThat(applied.dropped()).isEmpty();
        assertThat(applied.kept()).hasSize(max + 1);
    }

    @Test
    void perfdataAtTheHighestMaxSamplesIsExposedWhole() throws Exception {
        int max = SshCommandSettings.MAX_SAMPLES_LIMIT;
        StringBuilder perfdata = new StringBuilder("OK |");
        for (int i = 0; i < 2000; i++) {
            perfdata.append(" p").append(i).append('=').append(i);
        }
        CheckResult result = run("command = x, max-samples = " + max, exited(0, perfdata + "\n"));

        assertThat(SampleLimits.apply(result.samples()).dropped()).isEmpty();
        assertThat(result.samples()).hasSize(max + 1);
        assertThat(result.summary()).endsWith("[" + (2000 - max) + " samples over max-samples = " + max + " dropped]");
    }
}
