package dev.patrol.plugin.sshcommand;

import static dev.patrol.plugin.sshcommand.SshCommandCheckTest.exited;
import static dev.patrol.plugin.sshcommand.SshCommandCheckTest.run;
import static dev.patrol.plugin.sshcommand.SshCommandTestSupport.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.patrol.api.CheckResult;
import dev.patrol.api.CommandResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Status;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** output = nagios against a fake SSH session pool, with the output of real monitoring-plugins. */
class NagiosCheckTest {
    static final String CHECK_DISK = "DISK OK - free space: / 3326 MB (56% inode=92%);| /=2643MB;5948;5958;0;5968\n";
    static final String CHECK_LOAD = "OK - load average: 0.05, 0.07, 0.08|load1=0.050;5.000;10.000;0; "
            + "load5=0.070;4.000;8.000;0; load15=0.080;3.000;6.000;0;\n";
    static final String CHECK_PROCS = "PROCS OK: 95 processes | procs=95;;;0;\n";
    static final double MIB = 1024 * 1024;

    @Nested
    class ExitStatus {
        @ParameterizedTest(name = "exit {0} signal ''{1}''")
        @CsvSource(
                delimiter = '|',
                value = {
                    "0   | ''   | OK       | NONE         | CHECK OK: fine",
                    "1   | ''   | WARNING  | CHECK_FAILED | CHECK OK: fine",
                    "2   | ''   | CRITICAL | CHECK_FAILED | CHECK OK: fine",
                    "3   | ''   | UNKNOWN  | CHECK_FAILED | CHECK OK: fine",
                    "4   | ''   | UNKNOWN  | CHECK_FAILED | exit status 4: CHECK OK: fine",
                    "255 | ''   | UNKNOWN  | CHECK_FAILED | exit status 255: CHECK OK: fine",
                    "-1  | KILL | UNKNOWN  | CHECK_FAILED | killed by signal KILL: CHECK OK: fine",
                    "0   | TERM | UNKNOWN  | CHECK_FAILED | killed by signal TERM: CHECK OK: fine",
                })
        void followsTheMonitoringPluginsGuidelines(
                int exit, String signal, Status status, Reason reason, String summary) throws Exception {
            CheckResult result =
                    run("command = x", new CommandResult(exit, signal, "CHECK OK: fine | a=1\n", "", false));

            assertThat(result.status()).isEqualTo(status);
            assertThat(result.reason()).isEqualTo(reason);
            assertThat(result.summary()).isEqualTo(summary);
            assertThat(samples(result)).containsEntry("patrol_sample_a", 1.0);
        }

        @Test
        void aMissingPluginSaysSoFromStderr() throws Exception {
            CheckResult result = run(
                    "command = /usr/lib/nagios/plugins/check_nope",
                    new CommandResult(
                            127, "", "", "bash: line 1: /usr/lib/nagios/plugins/check_nope: No such file\n", false));

            assertThat(result.status()).isEqualTo(Status.UNKNOWN);
            assertThat(result.summary())
                    .isEqualTo("exit status 127: bash: line 1: /usr/lib/nagios/plugins/check_nope: No such file");
            assertThat(result.output()).startsWith("[stderr]\nbash: line 1:");
        }

        @Test
        void silenceIsReported() throws Exception {
            assertThat(run("command = x", exited(0, "")).summary()).isEqualTo("no output, exit status 0");
        }
    }

    @Nested
    class RealPlugins {
        @Test
        void checkDisk() throws Exception {
            CheckResult result = run("command = x", exited(0, CHECK_DISK));

            assertThat(result.status()).isEqualTo(Status.OK);
            assertThat(result.summary()).isEqualTo("DISK OK - free space: / 3326 MB (56% inode=92%);");
            assertThat(samples(result))
                    .containsExactly(
                            entry("patrol_sample_root_bytes", 2643 * MIB),
                            entry("patrol_ssh_command_exit_status", 0.0));
        }

        @Test
        void checkDiskWithSeveralPartitionsAndLimits() throws Exception {
            String stdout = "DISK WARNING - free space: / 3326 MB (56% inode=92%); /boot 120 MB (12% inode=99%);| "
                    + "/=2643MB;5948;5958;0;5968 /boot=830MB;760;855;0;950\n";

            CheckResult result = run("command = x, perfdata-limits = max, samples-prefix = disk", exited(1, stdout));

            assertThat(result.status()).isEqualTo(Status.WARNING);
            assertThat(result.reason()).isEqualTo(Reason.CHECK_FAILED);
            assertThat(samples(result))
                    .containsExactly(
                            entry("patrol_sample_disk_boot_bytes", 830 * MIB),
                            entry("patrol_sample_disk_boot_max_bytes", 950 * MIB),
                            entry("patrol_sample_disk_root_bytes", 2643 * MIB),
                            entry("patrol_sample_disk_root_max_bytes", 5968 * MIB),
                            entry("patrol_ssh_command_exit_status", 1.0));
        }

        @Test
        void checkLoad() throws Exception {
            CheckResult result = run("command = x", exited(0, CHECK_LOAD));

            assertThat(result.summary()).isEqualTo("OK - load average: 0.05, 0.07, 0.08");
            assertThat(samples(result))
                    .containsExactly(
                            entry("patrol_sample_load1", 0.05),
                            entry("patrol_sample_load15", 0.08),
                            entry("patrol_sample_load5", 0.07),
                            entry("patrol_ssh_command_exit_status", 0.0));
        }

        @Test
        void checkProcsWithMinMax() throws Exception {
            CheckResult result = run("command = x, perfdata-limits = min-max", exited(0, CHECK_PROCS));

            assertThat(result.summary()).isEqualTo("PROCS OK: 95 processes");
            assertThat(samples(result))
                    .containsExactly(
                            entry("patrol_sample_procs", 95.0),
                            entry("patrol_sample_procs_min", 0.0),
                            entry("patrol_ssh_command_exit_status", 0.0));
        }

        @Test
        void checkPingPercentAndMilliseconds() throws Exception {
            String stdout = "PING OK - Packet loss = 0%, RTA = 0.05 ms|rta=0.050000ms;100.000000;500.000000;0.000000 "
                    + "pl=0%;20;60;0\n";

            CheckResult result = run("command = x", exited(0, stdout));

            assertThat(samples(result))
                    .containsEntry("patrol_sample_rta_seconds", 0.05e-3)
                    .containsEntry("patrol_sample_pl_ratio", 0.0);
        }
    }

    @Nested
    class Output {
        @Test
        void longOutputStderrAndNotesAreLabelled() throws Exception {
            String stdout = "WARNING: 1 job late | jobs=3\njob nightly is late\nall others ran | late=1 rx=12c\n";

            CheckResult result = run("command = x", new CommandResult(1, "", stdout, "deprecated option -x\n", false));

            assertThat(result.summary()).isEqualTo("WARNING: 1 job late");
            assertThat(result.output())
                    .isEqualTo("job nightly is late\nall others ran\n[stderr]\ndeprecated option -x");
            assertThat(result.samples())
                    .filteredOn(sample -> sample.name().equals("patrol_sample_rx_total"))
                    .singleElement()
                    .satisfies(sample -> assertThat(sample.kind()).isEqualTo(dev.patrol.api.Sample.Kind.COUNTER));
            assertThat(samples(result))
                    .containsEntry("patrol_sample_jobs", 3.0)
                    .containsEntry("patrol_sample_late", 1.0);
        }

        @Test
        void malformedPerfdataIsSkippedAndNoted() throws Exception {
            CheckResult result = run("command = x", exited(0, "OK | a=1 b=oops '%'=3 c=2\n"));

            assertThat(result.status()).isEqualTo(Status.OK);
            assertThat(result.reason()).isEqualTo(Reason.NONE);
            assertThat(result.summary()).isEqualTo("OK [2 perfdata items skipped]");
            assertThat(result.output())
                    .isEqualTo("[patrol]\nperfdata: value of 'b' is not a number: 'b=oops'\n"
                            + "perfdata: label '%' has no letter or digit to name it by");
            assertThat(samples(result)).containsKeys("patrol_sample_a", "patrol_sample_c");
        }

        @Test
        void unknownValuesAndDuplicatesYieldNoSample() throws Exception {
            CheckResult result = run("command = x", exited(0, "OK | temp=U '/var log'=1B /var/log=2B\n"));

            assertThat(samples(result))
                    .containsOnlyKeys("patrol_sample_var_log_bytes", "patrol_ssh_command_exit_status")
                    .containsEntry("patrol_sample_var_log_bytes", 1.0);
            assertThat(result.summary()).isEqualTo("OK [1 duplicate sample ignored]");
        }

        @Test
        void maxSamplesCapsPerfdata() throws Exception {
            CheckResult result = run("command = x, max-samples = 2", exited(0, "OK | a=1 b=2 c=3 d=4\n"));

            assertThat(samples(result))
                    .containsOnlyKeys("patrol_sample_a", "patrol_sample_b", "patrol_ssh_command_exit_status");
            assertThat(result.summary()).isEqualTo("OK [2 samples over max-samples = 2 dropped]");
        }

        @Test
        void aLongSummaryIsCutToOneLine() throws Exception {
            CheckResult result = run("command = x", exited(0, "OK " + "x".repeat(500) + "\tend\n"));

            assertThat(result.summary())
                    .hasSize(CommandOutcome.MAX_SUMMARY + 3)
                    .endsWith("...")
                    .doesNotContain("\t");
        }

        @Test
        void aLineCutByMaxOutputIsNotParsed() throws Exception {
            // 1 KiB of stdout, cut in the middle of the last perfdata line: "load15=0.0" must not become a sample.
            String head = "OK - load | load1=0.05\n";
            String tail = "| load5=0.07 load15=0.0";
            String cut = head + "x".repeat(1024 - head.length() - tail.length() - 1) + "\n" + tail;
            assertThat(cut).hasSize(1024);

            CheckResult result = run("command = x, max-output = 1KiB", new CommandResult(0, "", cut, "", true));

            assertThat(result.status()).isEqualTo(Status.OK);
            assertThat(result.summary()).isEqualTo("OK - load [output cut at 1024 bytes]");
            assertThat(samples(result)).containsOnlyKeys("patrol_sample_load1", "patrol_ssh_command_exit_status");
            assertThat(result.output())
                    .endsWith("[patrol]\nthe last line of stdout was cut by max-output and not parsed");
        }

        @Test
        void aTruncatedStderrLeavesStdoutWhole() throws Exception {
            CheckResult result =
                    run("command = x, max-output = 1KiB", new CommandResult(0, "", "OK | a=1", "e".repeat(1024), true));

            assertThat(samples(result)).containsKey("patrol_sample_a");
        }
    }
}
