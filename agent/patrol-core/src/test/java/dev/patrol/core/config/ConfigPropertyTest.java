package dev.patrol.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No configuration, however wrong, ends in anything but a valid config or {@code FILE:LINE: key.path: ...} problems.
 * Mutates realistic configs (the corpus and a generated fleet) at random: unknown keys, values of the wrong type,
 * missing and extra labels, odd selectors, garbage bytes, truncation, broken includes. Seeded, so a failure names the
 * seed that reproduces it.
 */
class ConfigPropertyTest {
    private static final long SEED = 20_261_201L;
    private static final int CASES = 300;
    /** {@code FILE:LINE: key.path: message}; a key path has no spaces outside quoted keys. */
    private static final Pattern PROBLEM =
            Pattern.compile("[^:\\s][^:]*:\\d+: (?:[^\\s\"]|\"[^\"]*\")+: \\S.*", Pattern.DOTALL);

    private static final List<String> VALUES = List.of(
            "{}",
            "[]",
            "[1, {a = b}]",
            "null",
            "true",
            "\"\"",
            "-5",
            "0",
            "1e400",
            "99999999999999999999",
            "${?PATROL_SURELY_UNSET}",
            "${patrol.nothing.here}",
            "100000000d",
            "1ms",
            "0s",
            "\"*\"",
            "{ role = web }",
            "{ role = [] }",
            "{ role = null }",
            "{ \"\" = x }",
            "[[]]",
            "\"ten minutes\"",
            "\"127.0.0.1:99999\"",
            "\"$2y$10$short\"",
            "\"0 0/5 * * * ?\"",
            "\"not a cron\"",
            "\"https://\"",
            "\"https://example.com/health\"");

    private static final List<String> KEYS = List.of(
            "patrol.web.listen",
            "patrol.web.max-threads",
            "patrol.web.tls.cert-file",
            "patrol.web.basic-auth-users",
            "patrol.logging.level",
            "patrol.logging.loggers",
            "patrol.state-dir",
            "patrol.plugins-dir",
            "patrol.allow-fast-checks",
            "patrol.ssh",
            "patrol.ssh.known-hosts",
            "patrol.ssh.max-output",
            "patrol.limits.max-in-flight",
            "patrol.defaults",
            "patrol.defaults.interval",
            "patrol.defaults.retries",
            "patrol.target-defaults.port",
            "patrol.targets",
            "patrol.targets.web-1",
            "patrol.targets.web-1.labels",
            "patrol.targets.web-1.labels.job",
            "patrol.targets.new-one.host",
            "patrol.targets.\"bad name\".host",
            "patrol.checks",
            "patrol.checks.homepage",
            "patrol.checks.homepage.targets",
            "patrol.checks.homepage.expose-labels",
            "patrol.checks.extra.type",
            "patrol.checks.extra.targets",
            "patrol.checks.extra.labels",
            "patrol.checks.extra.cron",
            "patrol.checks.extra.url",
            "patrol.checks.extra.expect.status",
            "patrol.plugin-defaults.probe",
            "patrol.plugin-defaults.nope",
            "patrol",
            "patrol.typo-key",
            "top-level");

    private static final List<String> SNIPPETS = List.of(
            "{",
            "}",
            "[",
            "]",
            "\"",
            "\"\"\"",
            "${",
            "=",
            ":",
            ",",
            "\n",
            ".",
            "#",
            "//",
            "include \"missing.conf\"\n",
            "include required(\"missing.conf\")\n",
            "include required(\"nothing/*.conf\")\n",
            "include \"sibling.conf\"\n",
            "labels { role = web }",
            "labels = [a]",
            "labels { \"a.b\" = 1, instance = x }",
            "targets = { role = \"web\" }",
            "expose-labels = [role, nope]");

    @TempDir
    Path dir;

    @Test
    void loadingNeverLetsAnExceptionEscape() throws IOException {
        List<String> bases = bases();
        Files.writeString(dir.resolve("sibling.conf"), "patrol.targets.sibling { host = \"10.9.9.9\" }\n");
        Random random = new Random(SEED);
        int valid = 0;
        int invalid = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] bytes = mutate(bases.get(random.nextInt(bases.size())), random);
            Path file = dir.resolve("case-" + i + ".conf");
            Files.write(file, bytes);
            try {
                ConfigTesting.loader().load(file);
                valid++;
            } catch (InvalidSettingsException e) {
                invalid++;
                for (SettingsProblem problem : e.problems()) {
                    assertThat(problem.format())
                            .as("case %d of seed %d:\n%s", i, SEED, new String(bytes, StandardCharsets.UTF_8))
                            .matches(PROBLEM)
                            .doesNotContain(ConfigLoader.AGENT_FAULT, "Exception:", "\tat ");
                }
            } catch (Throwable t) {
                throw new AssertionError(
                        "case " + i + " of seed " + SEED + " threw instead of reporting problems:\n"
                                + new String(bytes, StandardCharsets.UTF_8),
                        t);
            }
        }
        // Both outcomes occur, or the mutations are too mild or too wild to test much.
        assertThat(valid).as("configs that still loaded").isPositive();
        assertThat(invalid).as("configs with problems").isGreaterThan(CASES / 3);
    }

    private static byte[] mutate(String base, Random random) {
        String text = base;
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            text = switch (random.nextInt(9)) {
                case 0, 1 -> insertLine(text, pick(KEYS, random) + " = " + pick(VALUES, random), random);
                case 2 -> replaceValue(text, pick(VALUES, random), random);
                case 3 -> deleteLine(text, random);
                case 4 -> insertAt(text, pick(SNIPPETS, random), random);
                case 5 -> text.replaceFirst(
                        "labels \\{[^}]*}",
                        Matcher.quoteReplacement(random.nextBoolean() ? "" : pick(SNIPPETS, random)));
                case 6 -> text.replaceFirst(
                        "targets = [^,}\\n]+", Matcher.quoteReplacement("targets = " + pick(VALUES, random)));
                case 7 -> text.substring(0, random.nextInt(text.length() + 1));
                default -> text;
            };
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(6) == 0) {
            byte[] garbage = new byte[1 + random.nextInt(8)];
            random.nextBytes(garbage);
            int at = random.nextInt(bytes.length + 1);
            byte[] mixed = Arrays.copyOf(bytes, bytes.length + garbage.length);
            System.arraycopy(garbage, 0, mixed, at, garbage.length);
            System.arraycopy(bytes, at, mixed, at + garbage.length, bytes.length - at);
            bytes = mixed;
        }
        return bytes;
    }

    private static String insertLine(String text, String line, Random random) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        lines.add(random.nextInt(lines.size() + 1), line);
        return String.join("\n", lines) + "\n";
    }

    private static String deleteLine(String text, Random random) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        if (!lines.isEmpty()) {
            lines.remove(random.nextInt(lines.size()));
        }
        return String.join("\n", lines) + "\n";
    }

    private static String insertAt(String text, String snippet, Random random) {
        int at = random.nextInt(text.length() + 1);
        return text.substring(0, at) + snippet + text.substring(at);
    }

    /** Replaces the value after one of the {@code =} signs. */
    private static String replaceValue(String text, String value, Random random) {
        List<Integer> equals = new ArrayList<>();
        for (int i = text.indexOf('='); i >= 0; i = text.indexOf('=', i + 1)) {
            equals.add(i);
        }
        if (equals.isEmpty()) {
            return text;
        }
        int at = equals.get(random.nextInt(equals.size())) + 1;
        int end = at;
        while (end < text.length() && ",}\n".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        return text.substring(0, at) + " " + value + text.substring(end);
    }

    private static String pick(List<String> from, Random random) {
        return from.get(random.nextInt(from.size()));
    }

    /** The corpus' main files and a small generated fleet, as the starting points. */
    private static List<String> bases() throws IOException {
        Path corpus;
        try {
            corpus = Path.of(ConfigPropertyTest.class.getResource("/corpus").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> bases = new ArrayList<>();
        try (Stream<Path> folders = Files.list(corpus)) {
            for (Path folder : folders.sorted().toList()) {
                bases.add(readUnchecked(folder.resolve("patrol.conf")));
            }
        }
        bases.add(ConfigSanityTest.fleet(40, 60));
        return bases;
    }

    private static String readUnchecked(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
