package dev.patrol.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One file per kind of mistake in {@code src/test/resources/config/invalid-<case>.conf}, each listing the exact
 * problems it must produce in {@code ## expect: FILE:LINE: key.path: message} lines, in order.
 */
class InvalidConfigTest {
    private static final String EXPECT = "## expect: ";

    static Stream<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(configDir())) {
            return files
                    .map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith("invalid-") && name.endsWith(".conf"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsExactlyTheExpectedProblems(String name) throws IOException {
        Path file = configDir().resolve(name);
        List<String> expected = Files.readAllLines(file).stream()
                .filter(line -> line.startsWith(EXPECT))
                .map(line -> line.substring(EXPECT.length()))
                .toList();
        assertThat(expected).as("%s lists its expected problems", name).isNotEmpty();

        assertThat(ConfigTesting.problems(file, configDir())).containsExactlyElementsOf(expected);
    }

    @Test
    void everyCaseIsFound() throws IOException {
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(15);
    }

    @Test
    void reportsEveryMistakeOfOneFileAtOnce() throws IOException {
        Path file = configDir().resolve("invalid-five-mistakes.conf");

        assertThat(ConfigTesting.problems(file, configDir())).hasSize(5);
    }

    static Path configDir() {
        try {
            return Path.of(InvalidConfigTest.class.getResource("/config").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
