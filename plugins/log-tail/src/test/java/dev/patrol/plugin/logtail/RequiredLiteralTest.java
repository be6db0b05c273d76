package dev.patrol.plugin.logtail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The literal must be certain: a line without it must never be one the regex would have matched. The property test
 * checks exactly that against {@code java.util.regex} over generated patterns and lines; the named cases pin what the
 * reader finds in patterns users write.
 */
class RequiredLiteralTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '#',
            ignoreLeadingAndTrailingWhitespace = false,
            value = {
                "(?i)\\berror\\b#error#true",
                "\" 5\\d\\d #\" 5#false",
                "ERROR#ERROR#false",
                "Connection reset by peer#Connection reset by peer#false",
                "level=(warn|error) msg=#level=#false",
                "colou?r#colo#false",
                "ab+c#ab#false",
                "timeout after \\d+ ?ms#timeout after #false",
                "(?im)^\\s*panic:#panic:#true",
                "[Ee]rror: disk full#rror: disk full#false",
                "\\[error\\] upstream#[error] upstream#false",
                "OOM.{0,20}killed#killed#false",
                "x{2}yz#yz#false",
                "(?:GET|POST) /api/# /api/#false",
                "(?<verb>GET) /api/# /api/#false",
            })
    void findsTheLiteralOfCommonPatterns(String regex, String literal, boolean caseless) {
        RequiredLiteral found = RequiredLiteral.of(Pattern.compile(regex));

        assertThat(found).isNotNull();
        assertThat(found.literal()).isEqualTo(caseless ? literal.toLowerCase() : literal);
        assertThat(found.caseless()).isEqualTo(caseless);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "error|warning", // alternatives at the top level
                "abc(?i)def", // flags changed in mid-pattern
                "(a(?i))def",
                "(?x)e r r o r", // comments mode: spaces are not literal
                "(?-i)error",
                "\\Qa.b\\E",
                "\\x41BC",
                "\\u0041BC",
                "\\p{Lu}AB",
                "(\\w+) \\1",
                "(?:error)",
                ".*",
                "a",
            })
    void givesNoLiteralWhenNoneIsCertain(String regex) {
        assertThat(RequiredLiteral.of(Pattern.compile(regex))).isNull();
    }

    @Test
    void flagsGivenToCompileAreNotRead() {
        assertThat(RequiredLiteral.of(Pattern.compile("error", Pattern.CASE_INSENSITIVE)))
                .isNull();
    }

    @Test
    void searchesAsciiBytesWithAndWithoutCase() {
        RequiredLiteral caseless = RequiredLiteral.of(Pattern.compile("(?i)error"));
        RequiredLiteral exact = RequiredLiteral.of(Pattern.compile("error"));
        byte[] line = "xx [ERROR] yy".getBytes(StandardCharsets.US_ASCII);

        assertThat(caseless.foundIn(line, 0, line.length)).isTrue();
        assertThat(exact.foundIn(line, 0, line.length)).isFalse();
        assertThat(caseless.foundIn(line, 5, line.length - 5)).isFalse(); // only the given window is searched
        assertThat(caseless.foundIn(line, 0, 8)).isFalse();
        assertThat(caseless.foundIn(line, 0, 9)).isTrue();
    }

    /**
     * Generated patterns over a small alphabet, so that literals and lines often meet: whenever the regex finds a
     * match in a line, the literal (if any) must be in it.
     */
    @Test
    void aLineWithoutTheLiteralNeverMatches() {
        Random random = new Random(20261202);
        int patternsWithLiteral = 0;
        int linesSkipped = 0;
        for (int p = 0; p < 20_000; p++) {
            Pattern pattern;
            try {
                pattern = Pattern.compile(randomPattern(random));
            } catch (PatternSyntaxException e) {
                continue;
            }
            RequiredLiteral literal = RequiredLiteral.of(pattern);
            if (literal == null) {
                continue;
            }
            patternsWithLiteral++;
            for (int l = 0; l < 200; l++) {
                String line = randomLine(random);
                byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
                if (!literal.foundIn(bytes, 0, bytes.length)) {
                    linesSkipped++;
                    assertThat(pattern.matcher(line).find())
                            .as("pattern %s, literal '%s', line '%s'", pattern, literal.literal(), line)
                            .isFalse();
                }
            }
        }
        assertThat(patternsWithLiteral).isGreaterThan(1_000);
        assertThat(linesSkipped).isGreaterThan(100_000);
    }

    /** Plain characters, listed twice over in {@link #ATOMS} so that runs of them (literals) are common. */
    private static final String[] LITERALS = {"a", "b", "A", "B", "e", "E", " ", "-"};

    private static final String[] ATOMS = Stream.concat(
                    Stream.of(LITERALS, LITERALS).flatMap(Arrays::stream),
                    Stream.of(
                            "\\.",
                            ".",
                            "\\b",
                            "\\d",
                            "\\s",
                            "\\w",
                            "[ab]",
                            "[^a]",
                            "[a-c&&[^b]]",
                            "(a|b)",
                            "(?:ab)",
                            "(ab)",
                            "(?i:ab)",
                            "(?=a)",
                            "(?!b)",
                            "\\-",
                            "\\[",
                            "1",
                            "^",
                            "$",
                            "\\t"))
            .toArray(String[]::new);
    private static final String[] QUANTIFIERS = {"", "", "", "", "?", "*", "+", "{2}", "{0,2}", "??", "*+", "{1,}?"};

    private static String randomPattern(Random random) {
        StringBuilder pattern = new StringBuilder();
        int roll = random.nextInt(4);
        if (roll == 0) {
            pattern.append("(?i)");
        } else if (roll == 1) {
            pattern.append("(?iu)");
        }
        int atoms = 1 + random.nextInt(7);
        for (int i = 0; i < atoms; i++) {
            pattern.append(ATOMS[random.nextInt(ATOMS.length)]);
            pattern.append(QUANTIFIERS[random.nextInt(QUANTIFIERS.length)]);
        }
        return pattern.toString();
    }

    private static String randomLine(Random random) {
        String alphabet = "aAbBeE -.1[\t";
        int length = random.nextInt(12);
        List<Character> line = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            line.add(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        StringBuilder text = new StringBuilder();
        line.forEach(text::append);
        return text.toString();
    }
}
