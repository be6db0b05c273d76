package dev.patrol.core.config;

import static dev.patrol.core.config.ConfigTesting.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockScannerTest {
    @TempDir
    Path dir;

    private String scan(Path file) {
        return BlockScanner.scan(file).stream()
                .map(d -> d.section() + "." + d.name() + "@" + Path.of(d.file()).getFileName() + ":" + d.line())
                .toList()
                .toString();
    }

    @Test
    void findsBlocksWrittenNestedDottedOrFromATemplate() {
        Path file = write(
                dir,
                "patrol.conf",
                """
                template { port = 2222 }
                patrol {
                  # a comment with a { brace
                  targets {
                    web-1 { host = "10.0.0.11", labels { role = "web" } }
                    "db.1" = { host = "10.0.0.21" }
                    web-2 = ${template} { host = "10.0.0.12" }
                  }
                  checks.homepage {
                    type = http
                    body = \"\"\"a { multi-line
                      } string\"\"\"
                    list = [{ a = 1 }, { b = "}" }]
                  }
                }
                patrol.checks.homepage.interval = 1m
                patrol.checks.disk { type = ssh-command, url = "http://x//y" }  // trailing comment {
                """);

        assertThat(scan(file))
                .isEqualTo("[targets.web-1@patrol.conf:5, targets.db.1@patrol.conf:6, targets.web-2@patrol.conf:7,"
                        + " checks.homepage@patrol.conf:9, checks.disk@patrol.conf:17]");
    }

    @Test
    void followsIncludesUnderTheirBlock() {
        Path file = write(
                dir,
                "patrol.conf",
                """
                patrol.checks {
                  include "checks/*.conf"
                }
                include required(file("%s"))
                """
                        .formatted(dir.resolve("targets.conf")));
        write(dir, "checks/b.conf", "homepage { type = http }\n");
        write(dir, "checks/a.conf", "\napi { type = http }\n");
        write(dir, "targets.conf", "patrol.targets.web-1.host = x\npatrol.targets.web-2 { host = y }\n");

        assertThat(scan(file))
                .isEqualTo("[checks.api@a.conf:2, checks.homepage@b.conf:1, targets.web-2@targets.conf:2]");
    }

    /**
     * The reason this lexer exists: once parsed, a block written twice and a block with one key set again by path are
     * the same object with the same origins, so only the text can tell the mistake from the override.
     */
    @Test
    void typesafeConfigCannotTellASecondBlockFromAKeySetByPath() {
        Config twice = parse("a { k = 1 }\na { k = 2 }\n");
        Config overridden = parse("a { k = 1 }\na.k = 2\n");

        assertThat(twice.root()).isEqualTo(overridden.root());
        assertThat(describe(twice.getValue("a"))).isEqualTo(describe(overridden.getValue("a")));
        assertThat(describe(twice.getValue("a.k"))).isEqualTo(describe(overridden.getValue("a.k")));
        assertThat(describe(parse("a { k = 1 }\n").getValue("a")))
                .isEqualTo(describe(parse("a.k = 1\n").getValue("a")));
    }

    private static Config parse(String text) {
        return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription("patrol.conf"));
    }

    private static String describe(ConfigValue value) {
        return value.origin().description() + " line " + value.origin().lineNumber();
    }
}
