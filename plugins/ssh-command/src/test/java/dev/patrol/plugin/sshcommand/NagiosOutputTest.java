package dev.patrol.plugin.sshcommand;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NagiosOutputTest {

    static Stream<Arguments> outputs() {
        return Stream.of(
                Arguments.of(
                        "the guidelines' example",
                        "TEXT OUTPUT | OPTIONAL PERFDATA\nLONG TEXT LINE 1\nLONG TEXT LINE 2 | PERFDATA LINE 2\n"
                                + "PERFDATA LINE 3\n",
                        "TEXT OUTPUT",
                        "LONG TEXT LINE 1\nLONG TEXT LINE 2",
                        "OPTIONAL PERFDATA PERFDATA LINE 2 PERFDATA LINE 3"),
                Arguments.of(
                        "check_disk",
                        "DISK OK - free space: / 3326 MB (56% inode=92%);| /=2643MB;5948;5958;0;5968\n",
                        "DISK OK - free space: / 3326 MB (56% inode=92%);",
                        "",
                        "/=2643MB;5948;5958;0;5968"),
                Arguments.of(
                        "check_load without a space before the bar",
                        "OK - load average: 0.05, 0.07, 0.08|load1=0.050;5.000;10.000;0; load5=0.070;4.000;8.000;0;"
                                + " load15=0.080;3.000;6.000;0;\n",
                        "OK - load average: 0.05, 0.07, 0.08",
                        "",
                        "load1=0.050;5.000;10.000;0; load5=0.070;4.000;8.000;0; load15=0.080;3.000;6.000;0;"),
                Arguments.of(
                        "check_procs",
                        "PROCS OK: 95 processes | procs=95;;;0;\n",
                        "PROCS OK: 95 processes",
                        "",
                        "procs=95;;;0;"),
                Arguments.of("no perfdata", "OK: all fine\n", "OK: all fine", "", ""),
                Arguments.of(
                        "long output without perfdata",
                        "WARNING: 2 jobs late\njob a\njob b\n\n",
                        "WARNING: 2 jobs late",
                        "job a\njob b",
                        ""),
                Arguments.of("CRLF line ends", "OK | a=1\r\nmore\r\n", "OK", "more", "a=1"),
                Arguments.of("no trailing newline", "OK | a=1", "OK", "", "a=1"),
                Arguments.of("nothing", "", "", "", ""),
                Arguments.of("only a bar", "|x=1\n", "", "", "x=1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outputs")
    void splitsTextLongOutputAndPerfdata(String name, String stdout, String text, String longOutput, String perfdata) {
        NagiosOutput out = NagiosOutput.parse(stdout);

        assertThat(out.text()).isEqualTo(text);
        assertThat(out.longOutput()).isEqualTo(longOutput);
        assertThat(out.perfdata()).isEqualTo(perfdata);
    }
}
