package dev.patrol.plugin.sshcommand;

import static dev.patrol.plugin.sshcommand.SshCommandCheckTest.exited;
import static dev.patrol.plugin.sshcommand.SshCommandCheckTest.run;
import static dev.patrol.plugin.sshcommand.SshCommandTestSupport.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.patrol.api.CheckResult;
import dev.patrol.api.CommandResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Sample;
import dev.patrol.api.Status;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** output = prometheus against a fake SSH session pool. */
class PrometheusCheckTest {
    static final String TEXT =
            """
            # HELP backup_last_success_timestamp_seconds When the last backup succeeded.
            # TYPE backup_last_success_timestamp_seconds gauge
            backup_last_success_timestamp_seconds{job="db"} 1.7e9
            # TYPE backup_runs_total counter
            backup_runs_total{job="db",result="ok"} 12
            # TYPE backup_bytes counter
            backup_bytes 4096
            """;

    @Test
    void everySeriesBecomesASample() throws Exception {
        CheckResult result = run("command = x, output = prometheus", exited(0, TEXT));

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.reason()).isEqualTo(Reason.NONE);
        assertThat(result.summary()).isEqualTo("3 samples");
        assertThat(result.samples())
                .containsExactly(
                        Sample.metric("patrol_ssh_command_exit_status", Sample.Kind.GAUGE, Map.of(), 0),
                        Sample.metric(
                                "patrol_sample_backup_last_success_timestamp_seconds",
                                Sample.Kind.GAUGE,
                                Map.of("job", "db"),
                                1.7e9),
                        Sample.metric(
                                "patrol_sample_backup_runs_total",
                                Sample.Kind.COUNTER,
                                Map.of("job", "db", "result", "ok"),
                                12),
                        // A counter named without _total (allowed by the text format) is given one.
                        Sample.metric("patrol_sample_backup_bytes_total", Sample.Kind.COUNTER, Map.of(), 4096));
    }

    @Test
    void samplesPrefixAndNamesOutsideTheSampleAlphabet() throws Exception {
        CheckResult result = run(
                "command = x, output = prometheus, samples-prefix = node",
                exited(0, "Temp:Celsius{zone=\"0\"} 41\njobs 2\n"));

        assertThat(samples(result))
                .containsExactly(
                        entry("patrol_sample_node_jobs", 2.0),
                        entry("patrol_sample_node_temp_celsius{zone=0}", 41.0),
                        entry("patrol_ssh_command_exit_status", 0.0));
    }

    @Test
    void invalidLinesAreSkippedAndMakeAWarning() throws Exception {
        CheckResult result = run("command = x, output = prometheus", exited(0, "good 1\nbad{ 2\nworse x\n"));

        assertThat(result.status()).isEqualTo(Status.WARNING);
        assertThat(result.reason()).isEqualTo(Reason.PARSE_FAILED);
        assertThat(result.summary()).isEqualTo("1 sample [2 invalid lines skipped]");
        assertThat(result.output())
                .isEqualTo("[patrol]\nline 2: invalid label name '2'\nline 3: invalid sample value 'x'");
        assertThat(samples(result)).containsEntry("patrol_sample_good", 1.0);
    }

    @Test
    void histogramsAreSkippedWithANote() throws Exception {
        String text = "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum 2\nh_count 1\ng 3\n";

        CheckResult result = run("command = x, output = prometheus", exited(0, text));

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.summary()).isEqualTo("1 sample [3 histogram/summary series skipped]");
    }

    @Test
    void maxSamplesCapsTheSeries() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            text.append("files{dir=\"d").append(i).append("\"} ").append(i).append('\n');
        }

        CheckResult result = run("command = x, output = prometheus, max-samples = 10", exited(0, text.toString()));

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.samples()).hasSize(11);
        assertThat(result.summary()).isEqualTo("10 samples [40 samples over max-samples = 10 dropped]");
    }

    @Test
    void aFailingCommandIsCriticalAndExposesNothing() throws Exception {
        CheckResult result = run(
                "command = x, output = prometheus",
                new CommandResult(2, "", "half 1\n", "textfile.sh: cannot read /var/lib/backup\n", false));

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.reason()).isEqualTo(Reason.CHECK_FAILED);
        assertThat(result.summary()).isEqualTo("exit status 2: textfile.sh: cannot read /var/lib/backup");
        assertThat(samples(result)).containsOnlyKeys("patrol_ssh_command_exit_status");
    }

    @Test
    void okExitCodesWidenSuccess() throws Exception {
        CheckResult result = run("command = x, output = prometheus, ok-exit-codes = [0, 3]", exited(3, "a 1\n"));

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(samples(result)).containsEntry("patrol_sample_a", 1.0);
    }

    @Test
    void aSignalIsCritical() throws Exception {
        CheckResult result = run("command = x, output = prometheus", new CommandResult(-1, "KILL", "a 1\n", "", false));

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.summary()).isEqualTo("killed by signal KILL");
    }

    @Test
    void truncatedTextIsAWarningAndItsCutLineIsDropped() throws Exception {
        String head = "a 1\n";
        String text = head + "b".repeat(1024 - head.length() - 2) + " 2";

        CheckResult result =
                run("command = x, output = prometheus, max-output = 1KiB", new CommandResult(0, "", text, "", true));

        assertThat(result.status()).isEqualTo(Status.WARNING);
        assertThat(result.reason()).isEqualTo(Reason.RESPONSE_TOO_LARGE);
        assertThat(result.summary()).isEqualTo("1 sample [output cut at 1024 bytes]");
        assertThat(samples(result)).containsOnlyKeys("patrol_sample_a", "patrol_ssh_command_exit_status");
    }
}
