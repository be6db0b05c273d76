package dev.patrol.core.config;

import static dev.patrol.core.config.ConfigTesting.loader;
import static dev.patrol.core.config.ConfigTesting.problems;
import static dev.patrol.core.config.ConfigTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import dev.patrol.api.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regressions from the adversarial review (issue 7): inputs that crashed, were silently accepted, or were slow. */
class ConfigSanityTest {
    @TempDir
    Path dir;

    @Nested
    class LabelSelectors {
        @Test
        void aTargetWithoutTheLabelOrWithoutLabelsSimplyDoesNotMatch() {
            PatrolSettings settings = loader().load(
                            write(
                                    dir,
                                    "patrol.conf",
                                    """
                    patrol {
                      targets {
                        web-1 { host = "10.0.0.11", labels { role = web } }
                        bare { host = "10.0.0.12" }
                        other { host = "10.0.0.13", labels { env = prod } }
                        db-1 { host = "10.0.0.21", labels { role = db } }
                      }
                      checks {
                        web-up { type = ping, targets { role = "web" } }
                        any-up { type = ping, targets { role = [web, db] } }
                      }
                    }
                    """));

            assertThat(settings.checks().get("web-up").targets())
                    .extracting(Target::name)
                    .containsExactly("web-1");
            assertThat(settings.checks().get("any-up").targets())
                    .extracting(Target::name)
                    .containsExactlyInAnyOrder("web-1", "db-1");
        }
    }

    @Nested
    class Bounds {
        @Test
        void fastChecksAreAllowedWhenAskedFor() {
            PatrolSettings settings = loader().load(
                            write(
                                    dir,
                                    "patrol.conf",
                                    """
                    patrol {
                      allow-fast-checks = true
                      targets.web-1.host = "10.0.0.11"
                      checks.hammer { type = ping, targets = "*", interval = 250ms, timeout = 200ms }
                    }
                    """));

            assertThat(settings.checks().get("hammer").interval()).isEqualTo(Duration.ofMillis(250));
        }

        @Test
        void aFastDefaultIsReportedOnceWhereItIsSet() {
            Path file = write(
                    dir,
                    "patrol.conf",
                    """
                    patrol {
                      defaults.interval = 10ms
                      targets.web-1.host = "10.0.0.11"
                      checks {
                        a { type = ping, targets = "*" }
                        b { type = ping, targets = "*" }
                      }
                    }
                    """);

            assertThat(problems(file, dir))
                    .containsExactly("patrol.conf:2: patrol.defaults.interval: expected an interval of at least 1s (set"
                            + " patrol.allow-fast-checks = true to allow faster checks), got '10ms'");
        }
    }

    @Nested
    class Utf8 {
        @Test
        void bytesThatAreNotUtf8AreRefusedAtTheirLine() throws IOException {
            Path file = dir.resolve("patrol.conf");
            byte[] head = "# Latin-1 comment: caf".getBytes(StandardCharsets.US_ASCII);
            byte[] rest = "\n\u00ff\npatrol { targets.web-1.host = x, checks.up { type = ping, targets = \"*\" } }\n"
                    .getBytes(StandardCharsets.ISO_8859_1);
            Files.write(file, concat(head, new byte[] {(byte) 0xE9}, rest));

            assertThat(problems(file, dir))
                    .containsExactly("patrol.conf:1: file: expected UTF-8 text, byte 0xE9 is not valid UTF-8 (save the"
                            + " file as UTF-8)");
        }

        @Test
        void includedAndConfDFilesAreCheckedToo() throws IOException {
            Path main = write(dir, "patrol.conf", "include \"extra.conf\"\npatrol.targets.web-1.host = x\n");
            Files.write(dir.resolve("extra.conf"), concat("a = 1\nb = ".getBytes(), new byte[] {(byte) 0xC3}));
            Files.createDirectories(dir.resolve("conf.d"));
            Files.write(dir.resolve("conf.d/10-x.conf"), new byte[] {'x', '=', (byte) 0xFE, '\n'});

            assertThat(problems(main, dir))
                    .containsExactly(
                            "conf.d/10-x.conf:1: file: expected UTF-8 text, byte 0xFE is not valid UTF-8 (save the"
                                    + " file as UTF-8)",
                            "extra.conf:2: file: expected UTF-8 text, byte 0xC3 is not valid UTF-8 (save the file"
                                    + " as UTF-8)");
        }

        private static byte[] concat(byte[]... parts) {
            int length = 0;
            for (byte[] part : parts) {
                length += part.length;
            }
            byte[] all = new byte[length];
            int at = 0;
            for (byte[] part : parts) {
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
            return all;
        }
    }

    @Nested
    class Scale {
        /**
         * 20,000 checks over 1,000 targets. The bound is generous for a busy machine; validation that copies the checks
         * block once per check (as it did) needs far longer.
         */
        @Test
        void twentyThousandChecksValidateInLinearTime() {
            Path file = write(dir, "patrol.conf", fleet(1_000, 20_000));

            PatrolSettings settings = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> loader().load(file));

            assertThat(settings.checks()).hasSize(20_000);
            assertThat(settings.targets()).hasSize(1_000);
        }
    }

    @Test
    void theUsersViewOfALargeChecksBlockIsNotCopiedPerCheck() {
        Config user = ConfigFactory.parseString(fleet(10, 100));
        Config full = user.withFallback(ConfigFactory.parseString("patrol { web.listen = x, checks {} }"));

        ConfigObject view = KeyChecker.userView(user.root(), full.root());

        // Copying the checks block once per check made validation quadratic in the number of checks.
        assertThat(((ConfigObject) view.get("patrol")).get("checks")).isSameAs(full.getObject("patrol.checks"));
        assertThat(((ConfigObject) view.get("patrol")).containsKey("web")).isFalse();
    }

    @Nested
    class Summary {
        @Test
        void countsAreSingularForOne() {
            PatrolSettings settings = loader().load(
                            write(
                                    dir,
                                    "patrol.conf",
                                    """
                    patrol.targets.web-1.host = "10.0.0.11"
                    patrol.checks.up { type = ping, targets = "*", interval = 1m }
                    """));

            assertThat(ConfigSummary.lines(settings))
                    .contains("1 check, 1 target, 1 (check, target) pair, 1 fires per minute");
        }

        @Test
        void anOpenUnauthenticatedListenerIsAWarningNotAnError() {
            PatrolSettings open = loader().load(write(dir, "open.conf", "patrol.web.listen = \"0.0.0.0:9740\""));
            PatrolSettings local = loader().load(write(dir, "local.conf", "patrol.web.listen = \"[::1]:9740\""));

            assertThat(ConfigSummary.lines(open)).anySatisfy(line -> assertThat(line)
                    .startsWith("warning: patrol.web.listen: 0.0.0.0:9740 is reachable beyond this machine"));
            assertThat(ConfigSummary.warnings(local)).isEmpty();
        }
    }

    /** {@code targets} targets, half labelled, and {@code checks} checks with every kind of selector. */
    static String fleet(int targets, int checks) {
        StringBuilder text = new StringBuilder("patrol {\n  targets {\n");
        for (int t = 0; t < targets; t++) {
            text.append("    t-")
                    .append(t)
                    .append(" { host = \"10.")
                    .append(t / 65_536)
                    .append('.');
            text.append(t / 256 % 256).append('.').append(t % 256).append('"');
            if (t % 2 == 0) {
                text.append(", labels { role = ")
                        .append(t % 3 == 0 ? "web" : "db")
                        .append(" }");
            }
            text.append(" }\n");
        }
        text.append("  }\n  checks {\n");
        List<String> selectors = List.of("\"*\"", "{ role = web }", "{ role = [web, db] }");
        for (int c = 0; c < checks; c++) {
            String selector = c % 100 < 3 ? selectors.get(c % 3) : "[\"t-" + c % targets + "\"]";
            text.append("    c-").append(c).append(" { type = ping, targets = ").append(selector);
            text.append(", labels { team = shop } }\n");
        }
        return text.append("  }\n}\n").toString();
    }
}
