package dev.patrol.plugin.sshcommand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.patrol.api.Sample;
import dev.patrol.plugin.sshcommand.UnitNormalizer.Unit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitNormalizerTest {

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(
            delimiter = '|',
            value = {
                "''      | 12   | ''        | 12",
                "s       | 1.5  | seconds   | 1.5",
                "ms      | 250  | seconds   | 0.25",
                "us      | 500  | seconds   | 0.0005",
                "\u00b5s | 500  | seconds   | 0.0005",
                "ns      | 2000 | seconds   | 0.000002",
                "%       | 56   | ratio     | 0.56",
                "B       | 10   | bytes     | 10",
                "KB      | 2    | bytes     | 2048",
                "kB      | 2    | bytes     | 2048",
                "KiB     | 2    | bytes     | 2048",
                "MB      | 2643 | bytes     | 2771386368",
                "MiB     | 1    | bytes     | 1048576",
                "GB      | 1    | bytes     | 1073741824",
                "TB      | 1    | bytes     | 1099511627776",
                "PB      | 1    | bytes     | 1125899906842624",
                "packets | 7    | packets   | 7",
                "Req/s   | 7    | req_s     | 7",
            })
    void normalizesToBaseUnits(String uom, double value, String suffix, double expected) {
        Unit unit = UnitNormalizer.of(uom);

        assertThat(unit.suffix()).isEqualTo(suffix);
        assertThat(unit.kind()).isEqualTo(Sample.Kind.GAUGE);
        assertThat(unit.normalize(value)).isCloseTo(expected, within(expected * 1e-12));
    }

    @Test
    void cIsACounter() {
        assertThat(UnitNormalizer.of("c")).isEqualTo(new Unit("total", 1, Sample.Kind.COUNTER));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"b, b", "kb, kb", "XB, xb", "B2, b2", "KBi, kbi"})
    void otherUnitsKeepTheirValueAndNameTheSuffix(String uom, String suffix) {
        Unit unit = UnitNormalizer.of(uom);

        assertThat(unit).isEqualTo(new Unit(suffix, 1, Sample.Kind.GAUGE));
    }
}
