package dev.patrol.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reader's lists, maps, blocks, choices, files and secrets, and how it collects problems; its scalar values are
 * {@link SettingsReaderTest}'s.
 */
class SettingsReaderBlocksTest {
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
    class ListsMapsAndBlocks {
        @Test
        void aListOfStringsOrOneStringIsAList() throws IOException {
            read("paths = [a, b]\npath = c");

            assertThat(reader.stringList("paths")).containsExactly("a", "b");
            assertThat(reader.stringList("path")).containsExactly("c");
            assertThat(reader.isValid()).isTrue();
        }

        @Test
        void aListHoldingABlockOrAMissingListIsAProblem() throws IOException {
            read("paths = [{ a = 1 }]");

            assertThat(reader.stringList("paths")).isEmpty();
            assertThat(reader.stringList("other")).isNull();
            assertThat(problems())
                    .containsExactly(
                            "settings.conf:1: paths: expected a list of strings, got a list",
                            "settings.conf:1: other: is required: expected a list of strings");
        }

        @Test
        void aMapTakesScalarsAsText() throws IOException {
            read("headers { Z = z, A = 1, M = true }");

            // Typesafe Config keeps an object's keys in no particular order, so neither can the map.
            assertThat(reader.stringMap("headers"))
                    .containsOnly(Map.entry("Z", "z"), Map.entry("A", "1"), Map.entry("M", "true"));
        }

        @Test
        void aNestedValueInAMapIsAProblemAtItsQuotedKey() throws IOException {
            read("headers {\n  ok = 1\n  \"X.Y\" = [1]\n}\nnot-a-map = 3");

            assertThat(reader.stringMap("headers")).containsExactly(Map.entry("ok", "1"));
            assertThat(reader.stringMap("not-a-map")).isEmpty();
            assertThat(problems())
                    .containsExactly(
                            "settings.conf:3: headers.\"X.Y\": expected a string value",
                            "settings.conf:5: not-a-map: expected a block of key = \"value\" pairs, got '3'");
        }

        @Test
        void aBlockIsItsOwnConfig() throws IOException {
            read("tls { ca-file = x }\nplain = 1");

            assertThat(reader.block("tls").getString("ca-file")).isEqualTo("x");
            assertThat(reader.block("plain")).isNull();
            assertThat(problems()).containsExactly("settings.conf:2: plain: expected a block { ... }, got '1'");
        }
    }

    @Nested
    class Choices {
        enum Redirects {
            FOLLOW,
            NONE,
            FOLLOW_SAME_HOST
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({"follow, FOLLOW", "NONE, NONE", "follow-same-host, FOLLOW_SAME_HOST", "' none ', NONE"})
        void oneOfTakesTheConstantInKebabCase(String text, Redirects expected) throws IOException {
            assertThat(read("redirects = \"" + text + "\"").oneOf("redirects", Redirects.class))
                    .isEqualTo(expected);
        }

        @Test
        void anythingElseIsAProblemListingTheChoices() throws IOException {
            assertThat(read("redirects = sometimes").oneOf("redirects", Redirects.class))
                    .isNull();
            assertThat(problems())
                    .containsExactly("settings.conf:1: redirects: expected one of follow, none, follow-same-host,"
                            + " got 'sometimes'");
        }
    }

    @Nested
    class ReadableFiles {
        @Test
        void aReadableFileIsItsPath() throws IOException {
            Path file = Files.writeString(dir.resolve("ca.pem"), "x");
            read("ca-file = \"" + file + "\"\nmissing = \"" + dir.resolve("nope") + "\"");

            assertThat(reader.readableFile("ca-file")).isEqualTo(file);
            assertThat(reader.readableFile("missing")).isNull();
            assertThat(problems())
                    .containsExactly("settings.conf:2: missing: expected a readable file, '" + dir.resolve("nope")
                            + "' is missing or unreadable");
        }
    }

    @Nested
    class Secrets {
        private Path secretFile(String content, String mode) throws IOException {
            Path file = Files.writeString(dir.resolve("token"), content);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            return file;
        }

        @Test
        void aValueIsTheSecretAndNeverShows() throws IOException {
            Secret token = read("token = abc").secret("token");

            assertThat(token.reveal()).isEqualTo("abc");
            assertThat(token).hasToString("******");
            assertThat(reader.isValid()).isTrue();
        }

        @Test
        void aFileOnlyItsOwnerCanReadIsTheSecretWithoutItsNewline() throws IOException {
            Path file = secretFile("s3cret\n", "rw-------");

            assertThat(read("token-file = \"" + file + "\"").secret("token").reveal())
                    .isEqualTo("s3cret");
            assertThat(reader.isValid()).isTrue();
        }

        @Test
        void theFileWinsOverTheValue() throws IOException {
            Path file = secretFile("from-file", "r--------");

            assertThat(read("token = inline\ntoken-file = \"" + file + "\"")
                            .secret("token")
                            .reveal())
                    .isEqualTo("from-file");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({
            "rw-r--r--, readable by others (mode 0644)",
            "rw-r-----, accessible by its group or others (mode 0640)",
            "rw----r--, readable by others (mode 0604)"
        })
        void aFileOthersCanAccessIsAProblemNamingTheFix(String mode, String exposure) throws IOException {
            Path file = secretFile("s3cret", mode);

            assertThat(read("token-file = \"" + file + "\"").secret("token")).isNull();
            assertThat(problems())
                    .containsExactly("settings.conf:1: token-file: expected a file only its owner can access, " + file
                            + " is " + exposure + "; chmod 600 it, as OpenSSH also refuses such a private key");
        }

        @Test
        void aMissingFileIsAProblemAndNoSecretAtAllIsNull() throws IOException {
            read("token-file = \"" + dir.resolve("nope") + "\"");

            assertThat(reader.secret("token")).isNull();
            assertThat(reader.secret("password")).isNull();
            assertThat(problems())
                    .containsExactly("settings.conf:1: token-file: expected a readable file, '" + dir.resolve("nope")
                            + "' is missing or unreadable");
        }
    }

    @Nested
    class Problems {
        @BeforeEach
        void readBadBlock() throws IOException {
            read("a = x\nb = -1s\nc = 12");
        }

        @Test
        void everyProblemIsCollectedInOrderThenThrownTogether() {
            reader.integer("a", 0, 1);
            reader.duration("b");
            reader.integer("c", 0, 10);

            assertThatThrownBy(reader::throwIfInvalid)
                    .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
                            .extracting(SettingsProblem::path)
                            .containsExactly("a", "b", "c"))
                    .message()
                    .satisfies(message -> assertThat(message.lines()).hasSize(3));
            assertThat(reader.isValid()).isFalse();
        }

        @Test
        void aPluginsOwnProblemIsAtTheValueOrElseAtTheBlock() {
            reader.problem("c", "expected fewer than 12");
            reader.problem("absent", "expected to be set with c");
            reader.problem("bad..path", "expected something");

            assertThat(problems())
                    .containsExactly(
                            "settings.conf:3: c: expected fewer than 12",
                            "settings.conf:1: absent: expected to be set with c",
                            "settings.conf:1: bad..path: expected something");
        }

        @Test
        void problemsFromElsewhereAreAdded() {
            reader.addAll(List.of(new SettingsProblem(reader.originOf("b"), "tls.ca-file", "expected a file")));

            assertThat(problems()).containsExactly("settings.conf:2: tls.ca-file: expected a file");
            assertThat(reader.problems()).isUnmodifiable();
        }

        @Test
        void aReaderWithoutProblemsDoesNotThrowAndShowsItsBlock() {
            assertThat(reader.has("a")).isTrue();
            assertThat(reader.has("z")).isFalse();
            assertThat(reader.config().getString("a")).isEqualTo("x");

            reader.throwIfInvalid();
        }
    }
}
