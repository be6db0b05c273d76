package dev.patrol.plugin.sshcommand;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SampleNamesTest {

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(
            delimiter = '|',
            value = {
                "load1            | load1",
                "/                | root",
                "/var             | var",
                "/boot/efi        | boot_efi",
                "'C:\\ Label'     | c_label",
                "Used Memory (%)  | used_memory",
                "a--b__c          | a_b_c",
                "1min             | 1min",
                "%                | ''",
                "//               | ''",
            })
    void perfdataLabels(String label, String expected) {
        assertThat(SampleNames.perfdataLabel(label)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''    | var  | bytes   | var_bytes",
                "disk  | root | bytes   | disk_root_bytes",
                "''    | 1min | ''      | _1min",
                "''    | load | ''      | load",
                "d     | rx   | total   | d_rx_total",
            })
    void joinsIntoValidSampleNames(String prefix, String label, String suffix, String expected) {
        String name = SampleNames.join(prefix, label, suffix);

        assertThat(name).isEqualTo(expected);
        assertThat(Sample.isValidSampleName(name)).isTrue();
    }

    @Test
    void metricNamesCarryThePrefix() {
        assertThat(SampleNames.metricName("load1")).isEqualTo("patrol_sample_load1");
    }
}
