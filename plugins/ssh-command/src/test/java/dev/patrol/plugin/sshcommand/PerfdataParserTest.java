package dev.patrol.plugin.sshcommand;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.plugin.sshcommand.PerfdataParser.Item;
import dev.patrol.plugin.sshcommand.PerfdataParser.Parsed;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PerfdataParserTest {

    /** An item as {@code label|value|uom|warn|crit|min|max}, with "null" for absent numbers. */
    private static String describe(Item item) {
        return String.join(
                "|",
                item.label(),
                String.valueOf(item.value()),
                item.uom(),
                item.warn(),
                item.crit(),
                String.valueOf(item.min()),
                String.valueOf(item.max()));
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of(
                        "check_load",
                        "load1=0.050;5.000;10.000;0; load5=0.070;4.000;8.000;0; load15=0.080;3.000;6.000;0;",
                        List.of(
                                "load1|0.05||5.000|10.000|0.0|null",
                                "load5|0.07||4.000|8.000|0.0|null",
                                "load15|0.08||3.000|6.000|0.0|null")),
                Arguments.of("check_procs", "procs=95;;;0;", List.of("procs|95.0||||0.0|null")),
                Arguments.of(
                        "check_disk in MB", "/=2643MB;5948;5958;0;5968", List.of("/|2643.0|MB|5948|5958|0.0|5968.0")),
                Arguments.of(
                        "check_disk in bytes, two partitions",
                        "/=23814209536B;216442024755;243497277849;0;270552530944 /boot=1024B;;;0;2048",
                        List.of(
                                "/|2.3814209536E10|B|216442024755|243497277849|0.0|2.70552530944E11",
                                "/boot|1024.0|B|||0.0|2048.0")),
                Arguments.of(
                        "quoted label with spaces",
                        "'C:\\ used space'=12GB;;",
                        List.of("C:\\ used space|12.0|GB|||null|null")),
                Arguments.of("quote escaped by doubling", "'it''s'=1", List.of("it's|1.0||||null|null")),
                Arguments.of("quoted label holding =", "'a=b'=2s", List.of("a=b|2.0|s|||null|null")),
                Arguments.of("unknown value U", "temp=U;50;60", List.of("temp|null||50|60|null|null")),
                Arguments.of("no fields after the value", "users=3", List.of("users|3.0||||null|null")),
                Arguments.of(
                        "negative and exponent",
                        "t=-1.5e2 x=+.5",
                        List.of("t|-150.0||||null|null", "x|0.5||||null|null")),
                Arguments.of("percent with min and max", "pl=0%;20;60;0;100", List.of("pl|0.0|%|20|60|0.0|100.0")),
                Arguments.of("counter", "rx=123456c", List.of("rx|123456.0|c|||null|null")),
                Arguments.of(
                        "limits repeating the unit",
                        "rta=0.5ms;100ms;500ms;0ms;1000ms",
                        List.of("rta|0.5|ms|100ms|500ms|0.0|1000.0")),
                Arguments.of(
                        "extra spaces and tabs", "  a=1 \t b=2  ", List.of("a|1.0||||null|null", "b|2.0||||null|null")),
                Arguments.of("empty", "", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void readsValidItems(String name, String perfdata, List<String> expected) {
        Parsed parsed = PerfdataParser.parse(perfdata);

        assertThat(parsed.items()).map(PerfdataParserTest::describe).containsExactlyElementsOf(expected);
        assertThat(parsed.problems()).isEmpty();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("no equals sign", "load1 load5=1", List.of("load5"), "expected label=value, got 'load1'"),
                Arguments.of("empty label", "=5 a=1", List.of("a"), "no label in '=5'"),
                Arguments.of("value not a number", "a=abc b=2", List.of("b"), "value of 'a' is not a number: 'a=abc'"),
                Arguments.of(
                        "decimal comma", "a=0,05;1;2 b=2", List.of("b"), "value of 'a' is not a number: 'a=0,05;1;2'"),
                Arguments.of("empty value", "a= b=2", List.of("b"), "value of 'a' is not a number: 'a='"),
                Arguments.of(
                        "space after quoted label", "'a b' =1 c=3", List.of("c"), "expected label=value, got ''a b''"),
                Arguments.of(
                        "unterminated quote stops the rest",
                        "a=1 'broken=2 c=3",
                        List.of("a"),
                        "unterminated quote in ''broken=2 c=3', rest ignored"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void skipsMalformedItemsAndCarriesOn(String name, String perfdata, List<String> labels, String problem) {
        Parsed parsed = PerfdataParser.parse(perfdata);

        assertThat(parsed.items()).map(Item::label).containsExactlyElementsOf(labels);
        assertThat(parsed.problems()).first().isEqualTo(problem);
    }

    @Test
    void limitsInAnotherUnitAreLeftOut() {
        Item item = PerfdataParser.parse("mem=512MB;;;0KB;1GB").items().get(0);

        assertThat(item.min()).isNull();
        assertThat(item.max()).isNull();
        assertThat(item.value()).isEqualTo(512);
    }

    @Test
    void longGarbageIsQuotedShort() {
        String garbage = "x".repeat(500);

        Parsed parsed = PerfdataParser.parse(garbage);

        assertThat(parsed.problems())
                .singleElement()
                .asString()
                .hasSizeLessThan(100)
                .contains("...");
    }
}
