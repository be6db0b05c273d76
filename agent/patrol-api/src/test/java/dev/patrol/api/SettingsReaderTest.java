package dev.patrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reader plugins build their settings with, for scalar values: what each getter accepts, the bound it keeps and
 * the exact problem it records, at the file and line the value was written on. Lists, blocks, choices, secrets and
 * problem collection are {@link SettingsReaderBlocksTest}'s.
 */
class SettingsReaderTest {
    @TempDir
    Path dir;

    private SettingsReader reader;

    /** A reader over {@code hocon}, parsed from a file named settings.conf so that problems carry FILE:LINE. */
    private SettingsReader read(String hocon) throws IOException {
        Path file = dir.resolve("settings.conf");
        Files.writeString(file, hocon, StandardCharsets.UTF_8);
        reader = new SettingsReader(ConfigFactory.parseFile(file.toFile()).resolve());
        return reader;
    }

    /** Each problem as {@code settings.conf:LINE: key: expected}. */
    private List<String> problems() {
        return reader.problems().stream()
                .map(problem -> problem.format().substring(problem.format().indexOf("settings.conf")))
                .toList();
    }

    @Nested
    class Strings {
        @Test
        void aStringANumberAndABooleanAreText() throws IOException {
            read("name = web\nport = 22\non = true");

            assertThat(reader.string("name")).isEqualTo("web");
            assertThat(reader.string("port")).isEqualTo("22");
            assertThat(reader.string("on")).isEqualTo("true");
            assertThat(reader.isValid()).isTrue();
        }

        @Test
        void aMissingKeyIsRequiredAtTheBlock() throws IOException {
            read("\nother = 1");

            assertThat(reader.string("name")).isNull();
            assertThat(problems()).containsExactly("settings.conf:1: name: is required: expected a string");
        }

        @Test
        void aBlockIsNotAString() throws IOException {
            read("a = 1\nname { x = 1 }");

            assertThat(reader.string("name")).isNull();
            assertThat(problems()).containsExactly("settings.conf:2: name: expected a string, got a block");
        }

        @Test
        void anOptionalStringIsEmptyWhenAbsentAndReadWhenSet() throws IOException {
            read("name = web");

            assertThat(reader.optionalString("name")).contains("web");
            assertThat(reader.optionalString("other")).isEmpty();
            assertThat(reader.isValid()).isTrue();
        }
    }

    @Nested
    class Numbers {
        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "retries = 0  | 0",
                    "retries = 10 | 10",
                })
        void anIntegerWithinItsBoundsIsRead(String hocon, int expected) throws IOException {
            assertThat(read(hocon).integer("retries", 0, 10)).isEqualTo(expected);
            assertThat(reader.isValid()).isTrue();
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "retries = 11   | settings.conf:1: retries: expected an integer from 0 to 10, got 11",
                    "retries = -1   | settings.conf:1: retries: expected an integer from 0 to 10, got -1",
                    "retries = many | settings.conf:1: retries: expected an integer, got 'many'",
                    "retries = 3000000000 | settings.conf:1: retries: expected an integer, got '3000000000'",
                })
        void anIntegerOutOfBoundsOrNotAnIntegerIsAProblem(String hocon, String problem) throws IOException {
            assertThat(read(hocon).integer("retries", 0, 10)).isNull();
            assertThat(problems()).containsExactly(problem);
        }

        @Test
        void aNumberMayHaveAFraction() throws IOException {
            read("high = 50.5\nlow = x");

            assertThat(reader.number("high")).isEqualTo(50.5);
            assertThat(reader.number("low")).isNull();
            assertThat(problems()).containsExactly("settings.conf:2: low: expected a number, got 'x'");
        }

        @Test
        void aBooleanIsTrueOrFalseAsHoconSpellsThem() throws IOException {
            read("a = true\nb = off\nc = maybe");

            assertThat(reader.bool("a")).isTrue();
            assertThat(reader.bool("b")).isFalse();
            assertThat(reader.bool("c")).isNull();
            assertThat(problems()).containsExactly("settings.conf:3: c: expected true or false, got 'maybe'");
        }
    }

    @Nested
    class Durations {
        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "timeout = 10s   | PT10S",
                    "timeout = 500ms | PT0.5S",
                    "timeout = 0s    | PT0S",
                    "timeout = 365d  | PT8760H",
                })
        void aHoconDurationUpTo365DaysIsRead(String hocon, Duration expected) throws IOException {
            assertThat(read(hocon).duration("timeout")).isEqualTo(expected);
            assertThat(reader.isValid()).isTrue();
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "timeout = ten  | expected a duration such as 10s or 500ms, got 'ten'",
                    "timeout = -1s  | expected a duration that is not negative, got '-1s'",
                    "timeout = 366d | expected a duration of at most 365d, got '366d'",
                })
        void aDurationThatIsNotOneOrOutOfBoundsIsAProblem(String hocon, String expected) throws IOException {
            assertThat(read(hocon).duration("timeout")).isNull();
            assertThat(problems()).containsExactly("settings.conf:1: timeout: " + expected);
        }

        @Test
        void aPositiveDurationIsNotZero() throws IOException {
            read("interval = 0s\ntimeout = 1ms");

            assertThat(reader.positiveDuration("interval")).isNull();
            assertThat(reader.positiveDuration("timeout")).isEqualTo(Duration.ofMillis(1));
            assertThat(problems())
                    .containsExactly("settings.conf:1: interval: expected a duration greater than zero, got '0s'");
        }

        @Test
        void theLongestDurationIsAYear() {
            assertThat(SettingsReader.MAX_DURATION).isEqualTo(Duration.ofDays(365));
        }
    }

    @Nested
    class Sizes {
        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "max = 10MiB  | 10485760",
                    "max = 512KiB | 524288",
                    "max = 1kB    | 1000",
                    "max = 0      | 0",
                })
        void aHoconSizeIsReadInBytes(String hocon, long expected) throws IOException {
            assertThat(read(hocon).bytes("max")).isEqualTo(expected);
            assertThat(reader.isValid()).isTrue();
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "max = lots | expected a size such as 10MiB or 512KiB, got 'lots'",
                    // HOCON itself refuses a negative size, so it gets the same answer as any other non-size.
                    "max = -1KiB | expected a size such as 10MiB or 512KiB, got '-1KiB'",
                })
        void aSizeThatIsNotOneOrNegativeIsAProblem(String hocon, String expected) throws IOException {
            assertThat(read(hocon).bytes("max")).isNull();
            assertThat(problems()).containsExactly("settings.conf:1: max: " + expected);
        }
    }
}
