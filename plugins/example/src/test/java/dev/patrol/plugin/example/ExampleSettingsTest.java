package dev.patrol.plugin.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsProblem;
import java.net.InetAddress;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExampleSettingsTest {

    @Test
    void defaultsComeFromReferenceConf() {
        ExampleSettings settings = ExampleSettings.from(ReferenceDefaults.block(""));

        assertThat(settings.warnBelow()).isEqualTo(1);
        assertThat(settings.expectAddress()).isNull();
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsLine() {
        InvalidSettingsException error = catchThrowableOfType(
                InvalidSettingsException.class,
                () -> ExampleSettings.from(ReferenceDefaults.block("warn-below = -1\nexpect-address = \"localhost\"")));

        assertThat(error.problems())
                .extracting(SettingsProblem::path, SettingsProblem::expected, problem -> problem.origin()
                        .lineNumber())
                .containsExactly(
                        tuple("warn-below", "expected an integer of 0 or more, got -1", 1),
                        tuple(
                                "expect-address",
                                "expected an IP address such as 192.0.2.10 or 2001:db8::10, got 'localhost'",
                                2));
    }

    @Nested
    class WarnBelow {

        @ParameterizedTest(name = "{0}")
        @ValueSource(ints = {0, 1, 2, 1000})
        void acceptsZeroOrMore(int value) {
            assertThat(ExampleSettings.from(ReferenceDefaults.block("warn-below = " + value))
                            .warnBelow())
                    .isEqualTo(value);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "-1          | expected an integer of 0 or more, got -1",
                    "many        | expected an integer, got 'many'",
                    "true        | expected an integer, got 'true'",
                    "[1, 2]      | expected an integer, got a list",
                    "null        | is required: expected an integer",
                })
        void rejects(String value, String expected) {
            assertThatThrownBy(() -> ExampleSettings.from(ReferenceDefaults.block("warn-below = " + value)))
                    .isInstanceOfSatisfying(InvalidSettingsException.class, error -> assertThat(error.problems())
                            .extracting(SettingsProblem::path, SettingsProblem::expected)
                            .containsExactly(tuple("warn-below", expected)));
        }
    }

    @Nested
    class ExpectAddress {

        @ParameterizedTest(name = "{0}")
        @CsvSource({
            "127.0.0.1, 127.0.0.1",
            "192.0.2.10, 192.0.2.10",
            "::1, 0:0:0:0:0:0:0:1",
            "2001:db8::10, 2001:db8:0:0:0:0:0:10"
        })
        void acceptsAnIpLiteral(String value, String address) {
            InetAddress parsed = ExampleSettings.from(ReferenceDefaults.block("expect-address = \"" + value + "\""))
                    .expectAddress();

            assertThat(parsed.getHostAddress()).isEqualTo(address);
        }

        /** None of these may reach a resolver: a config check must not do DNS. */
        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"localhost", "999.1.1.1", "1.2.3", "example.com:80", ".:", "g::1", "", "10.0.0.1/8"})
        void rejectsAnythingElse(String value) {
            assertThatThrownBy(
                            () -> ExampleSettings.from(ReferenceDefaults.block("expect-address = \"" + value + "\"")))
                    .isInstanceOfSatisfying(InvalidSettingsException.class, error -> assertThat(error.problems())
                            .extracting(SettingsProblem::path, SettingsProblem::expected)
                            .containsExactly(tuple(
                                    "expect-address",
                                    "expected an IP address such as 192.0.2.10 or 2001:db8::10, got '" + value + "'")));
        }

        @Test
        void isOptional() {
            assertThat(ExampleSettings.from(ReferenceDefaults.block("expect-address = null"))
                            .expectAddress())
                    .isNull();
        }
    }
}
