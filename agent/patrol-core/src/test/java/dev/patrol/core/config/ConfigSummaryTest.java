package dev.patrol.core.config;

import static dev.patrol.core.config.ConfigTesting.loader;
import static dev.patrol.core.config.ConfigTesting.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSummaryTest {
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void countsChecksTargetsPairsAndFiresPerMinute() {
        Path main = write(
                dir,
                "patrol.conf",
                """
                patrol {
                  targets {
                    web-1 { host = "10.0.0.11", labels { role = web } }
                    web-2 { host = "10.0.0.12", labels { role = web } }
                  }
                  checks {
                    ssh-up { type = ping, targets = { role = web }, interval = 15s }
                    homepage { type = probe, url = "https://shop.example.com/", interval = 90s, timeout = 5s }
                    slow { type = ping, targets = [web-1], interval = 10s, timeout = 20s }
                  }
                }
                """);

        assertThat(ConfigSummary.lines(loader().load(main), NOW))
                .containsExactly(
                        main + ": configuration OK",
                        "3 checks, 2 targets, 4 (check, target) pairs, 14.67 fires per minute",
                        "",
                        "  CHECK     TYPE   TARGETS  SCHEDULE",
                        "  homepage  probe  1        every 90s",
                        "  slow      ping   1        every 10s",
                        "  ssh-up    ping   2        every 15s",
                        "",
                        "note: patrol.checks.slow: timeout 20s is longer than interval 10s; while a run is in flight"
                                + " the next fire is skipped (reason \"overlap\")");
    }

    @Test
    void listsTheJobsWithTheirNextRunInTheirOwnTimeZone() {
        Path main = ConfigTesting.writeWithSshFiles(
                dir,
                "patrol.conf",
                """
                patrol {
                  targets {
                    db-1 { host = "10.0.0.21", labels { role = db } }
                    db-2 { host = "10.0.0.22", labels { role = db } }
                    db-3 { host = "10.0.0.23", labels { role = db } }
                    web-1 { host = "10.0.0.31" }
                  }
                  checks { up { type = ping, targets = "*", interval = 30s } }
                  jobs {
                    db-dump {
                      type = fetch, targets { role = db }, paths = ["/var/backups/shop.dump"]
                      schedule = "0 0 2 * * ?", time-zone = "Europe/Berlin", serial = "50%"
                    }
                    cleanup { type = command, targets = [web-1], command = "true" }
                  }
                }
                """);

        assertThat(ConfigSummary.lines(loader().load(main), NOW))
                .containsSubsequence(
                        "1 check, 4 targets, 4 (check, target) pairs, 8 fires per minute, 2 jobs",
                        "",
                        "  JOB      TYPE     TARGETS  SERIAL  SCHEDULE",
                        "  cleanup  command  1        1       by hand only (patrol run-job, POST /-/jobs/cleanup/run)",
                        // 2025-01-01T00:00Z is 01:00 in Berlin: the next 02:00 there is an hour later, not 26 hours.
                        "  db-dump  fetch    3        2       cron 0 0 2 * * ?, next 2025-01-01 02:00 Europe/Berlin");
    }

    @Test
    void aLoggerOfAMovedPackageIsWarnedAbout() {
        Path main = write(
                dir,
                "patrol.conf",
                """
                patrol.logging.loggers { "dev.patrol.transport.ssh" = debug, "patrol.check.homepage" = debug }
                """);

        PatrolSettings settings = loader().load(main);

        assertThat(ConfigSummary.warnings(settings))
                .containsExactly(
                        "patrol.logging.loggers.\"dev.patrol.transport.ssh\": logger \"dev.patrol.transport.ssh\" is"
                                + " deprecated, its level applies to \"dev.patrol.transport.ssh\"; use that name");
        assertThat(ConfigSummary.lines(settings, NOW))
                .contains("warning: " + ConfigSummary.warnings(settings).get(0));
    }

    @Test
    void estimatesCronChecksFromTheirNextFires() {
        Path main = write(
                dir,
                "patrol.conf",
                """
                patrol.targets.web-1.host = "10.0.0.11"
                patrol.checks {
                  every-second { type = ping, targets = "*", cron = "* * * * * ?" }
                  hourly { type = ping, targets = "*", cron = "0 0 * * * ?" }
                }
                """);
        PatrolSettings settings = loader().load(main);

        assertThat(ConfigSummary.firesPerMinute(settings.checks().get("every-second"), NOW))
                .isEqualTo(60.0);
        assertThat(ConfigSummary.firesPerMinute(settings.checks().get("hourly"), NOW))
                .isCloseTo(1 / 60.0, org.assertj.core.data.Offset.offset(0.001));
        assertThat(ConfigSummary.lines(settings, NOW)).contains("  hourly        ping  1        cron 0 0 * * * ?");
    }

    @Test
    void writesDurationsAsTheConfigWould() {
        assertThat(ConfigSummary.human(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(ConfigSummary.human(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(ConfigSummary.human(Duration.ofMinutes(61))).isEqualTo("61m");
        assertThat(ConfigSummary.human(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(ConfigSummary.human(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }
}
