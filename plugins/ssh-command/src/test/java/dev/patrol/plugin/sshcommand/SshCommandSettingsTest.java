package dev.patrol.plugin.sshcommand;

import static dev.patrol.plugin.sshcommand.SshCommandTestSupport.block;
import static dev.patrol.plugin.sshcommand.SshCommandTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.SettingsProblem;
import dev.patrol.plugin.sshcommand.SshCommandSettings.Output;
import dev.patrol.plugin.sshcommand.SshCommandSettings.PerfdataLimits;
import dev.patrol.testing.PluginTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SshCommandSettingsTest {

    private static List<SettingsProblem> problems(String hocon) {
        return PluginTestSupport.problems(hocon, () -> SshCommandSettings.from(block(hocon)));
    }

    @Nested
    class Defaults {
        @Test
        void onlyTheCommandIsRequired() {
            SshCommandSettings settings = settings("command = uptime");

            assertThat(settings.command()).isEqualTo("uptime");
            assertThat(settings.output()).isEqualTo(Output.NAGIOS);
            assertThat(settings.maxOutput()).isEqualTo(64 * 1024);
            assertThat(settings.samplesPrefix()).isEmpty();
            assertThat(settings.maxSamples()).isEqualTo(200);
            assertThat(settings.okExitCodes()).containsExactly(0);
            assertThat(settings.perfdataLimits()).isEqualTo(PerfdataLimits.NONE);
        }

        @Test
        void everyKeyIsRead() {
            SshCommandSettings settings = settings(
                    """
                    command = "/usr/local/bin/textfile.sh --all"
                    output = prometheus
                    max-output = 1MiB
                    samples-prefix = backup
                    max-samples = 50
                    ok-exit-codes = [0, 1]
                    perfdata-limits = min-max
                    command-timeout = 8s
                    """);

            assertThat(settings)
                    .isEqualTo(new SshCommandSettings(
                            "/usr/local/bin/textfile.sh --all",
                            Output.PROMETHEUS,
                            1024 * 1024,
                            "backup",
                            50,
                            Set.of(0, 1),
                            PerfdataLimits.MIN_MAX,
                            CommandTimeout.of(Duration.ofSeconds(8))));
        }

        @Test
        void oneExitCodeNeedsNoBrackets() {
            assertThat(settings("command = x, ok-exit-codes = 3").okExitCodes()).containsExactly(3);
        }

        @Test
        void thePluginBuildsACheckThatNeedsTargets() {
            var check = new SshCommandPlugin().parse(block("command = uptime"));

            assertThat(check.needsTargets()).isTrue();
            assertThat(((SshCommandCheck) check).settings().command()).isEqualTo("uptime");
        }
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''                                   | command         | is required: expected a string",
                "command = \"  \"                     | command         | expected a command to run, got an empty string",
                "command = x, output = json           | output          | expected one of nagios, prometheus, none, got 'json'",
                "command = x, max-output = 10B        | max-output      | expected a size from 1KiB to 16MiB, got 10 bytes",
                "command = x, max-output = 1GiB       | max-output      | expected a size from 1KiB to 16MiB, got 1073741824 bytes",
                "command = x, max-output = lots       | max-output      | expected a size such as 10MiB or 512KiB, got 'lots'",
                "command = x, samples-prefix = Disk-1 | samples-prefix  | expected a name matching [a-z_][a-z0-9_]*, got 'Disk-1'",
                "command = x, max-samples = 0         | max-samples     | expected an integer from 1 to 999, got 0",
                "command = x, max-samples = 1000      | max-samples     | expected an integer from 1 to 999, got 1000",
                "command = x, ok-exit-codes = [0, 256] | ok-exit-codes  | expected exit statuses from 0 to 255, got 256",
                "command = x, ok-exit-codes = [zero]  | ok-exit-codes   | expected exit statuses from 0 to 255, got 'zero'",
                "command = x, ok-exit-codes = []      | ok-exit-codes   | expected at least one exit status, such as [0]",
                "command = x, ok-exit-codes = -1      | ok-exit-codes   | expected an integer from 0 to 255, got -1",
                "command = x, perfdata-limits = all   | perfdata-limits | expected one of none, max, min-max, got 'all'",
            })
    void badValuesAreProblemsWithTheirPath(String hocon, String path, String expected) {
        assertThat(problems(hocon)).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo(path);
            assertThat(problem.expected()).isEqualTo(expected);
        });
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<SettingsProblem> problems = problems("output = xml, max-samples = -1, perfdata-limits = 1");

        assertThat(problems)
                .map(SettingsProblem::path)
                .containsExactly("command", "output", "max-samples", "perfdata-limits");
    }

    @Test
    void problemsNameTheLineOfTheValue() {
        List<SettingsProblem> problems = problems("command = x\nmax-samples = 0\n");

        assertThat(problems)
                .singleElement()
                .satisfies(problem -> assertThat(problem.origin().lineNumber()).isEqualTo(2));
    }
}
