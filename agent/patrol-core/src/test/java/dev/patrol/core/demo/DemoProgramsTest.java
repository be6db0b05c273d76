package dev.patrol.core.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The demo's commands on their own: output format, thresholds and the queue's flapping, on fixed inputs. */
class DemoProgramsTest {
    @TempDir
    Path dir;

    /** What one program printed and how it exited. */
    record Run(int status, String out, String err) {}

    static Run run(DemoPrograms.Program program) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = program.run(stdout, stderr);
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    DemoPrograms programs(String loadavg, long epochSecond) throws Exception {
        Path file = Files.writeString(dir.resolve("loadavg"), loadavg);
        Clock clock = Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
        return new DemoPrograms(clock, dir, file);
    }

    @Test
    void checkLoadPrintsEachAverageWithThresholdsPerCpu() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();

        Run run = run(programs("0.50 0.40 0.30 1/123 4567\n", 0)::checkLoad);

        assertThat(run.status()).isZero();
        assertThat(run.out())
                .isEqualTo(String.format(
                        java.util.Locale.ROOT,
                        "LOAD OK - total load average: 0.50, 0.40, 0.30|load1=0.500;%.3f;%.3f;0;"
                                + " load5=0.400;%.3f;%.3f;0; load15=0.300;%.3f;%.3f;0;%n",
                        4.0 * cpus,
                        8.0 * cpus,
                        3.0 * cpus,
                        6.0 * cpus,
                        2.0 * cpus,
                        4.0 * cpus));
    }

    @Test
    void checkLoadIsCriticalAboveTheCriticalThreshold() throws Exception {
        double load = 9.0 * Runtime.getRuntime().availableProcessors();

        Run run = run(programs(load + " 0.1 0.1 1/1 1\n", 0)::checkLoad);

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).startsWith("LOAD CRITICAL - ");
    }

    @Test
    void checkDiskPrintsUsedMegabytesWithWhatUsersCanFillAsMaximum() throws Exception {
        Run run = run(programs("0 0 0", 0)::checkDisk);

        Matcher output = Pattern.compile("DISK (OK|WARNING|CRITICAL) - free space: / (\\d+) MB \\((\\d+)%\\);"
                        + "\\| /=(\\d+)MB;(\\d+);(\\d+);0;(\\d+)\\R")
                .matcher(run.out());
        assertThat(output.matches()).as(run.out()).isTrue();
        long free = Long.parseLong(output.group(2));
        long used = Long.parseLong(output.group(4));
        long size = Long.parseLong(output.group(7));
        assertThat(used + free).isEqualTo(size);
        assertThat(Long.parseLong(output.group(5))).isEqualTo(Math.round(size * 0.90));
        assertThat(Long.parseLong(output.group(6))).isEqualTo(Math.round(size * 0.95));
        assertThat(run.status()).isEqualTo(free * 20 < size ? 2 : free * 10 < size ? 1 : 0);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0, QUEUE OK - 10 messages",
        "179, 0, QUEUE OK",
        "180, 1, QUEUE WARNING - 120 messages",
        "299, 1, QUEUE WARNING",
        "300, 2, QUEUE CRITICAL - 520 messages",
        "359, 2, QUEUE CRITICAL",
        "360, 0, QUEUE OK"
    })
    void checkQueueFlapsOverSixMinutes(long second, int status, String summary) throws Exception {
        Run run = run(programs("0 0 0", 1_699_999_920L + second)::checkQueue);

        assertThat(run.status()).isEqualTo(status);
        assertThat(run.out()).startsWith(summary).contains("|messages=").contains(";100;500;0; oldest=");
    }

    @Test
    void nodeTextfileCountsJobsUpAcrossRuns() throws Exception {
        DemoPrograms programs = programs("0.25 0.2 0.1 1/1 1", 0);

        Run first = run(programs::nodeTextfile);
        Run second = run(programs::nodeTextfile);

        assertThat(first.status()).isZero();
        assertThat(first.out()).contains("node_demo_jobs_processed_total 17\n").contains("node_demo_load1 0.25\n");
        assertThat(second.out()).contains("node_demo_jobs_processed_total 34\n");
    }

    @Test
    void unknownCommandIsNotFound() throws Exception {
        DemoCommandFactory factory = new DemoCommandFactory(programs("0 0 0", 0).all(), null, null, null);

        Run run = run(factory.program("bash -c id"));

        assertThat(run.status()).isEqualTo(127);
        assertThat(run.err()).isEqualTo("sh: 1: bash: not found\n");
    }
}
