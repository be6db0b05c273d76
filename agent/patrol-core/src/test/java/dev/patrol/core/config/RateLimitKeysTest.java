package dev.patrol.core.config;

import static dev.patrol.core.config.ConfigTesting.loader;
import static dev.patrol.core.config.ConfigTesting.problems;
import static dev.patrol.core.config.ConfigTesting.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.core.ratelimit.Rate;
import dev.patrol.core.ratelimit.RateLimitSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateLimitKeysTest {
    @TempDir
    Path dir;

    @Test
    void readsLimitsWithTheirDefaultsAndTheCheckThatNamesOne() {
        PatrolSettings settings = loader().load(
                        write(
                                dir,
                                "patrol.conf",
                                """
                patrol.rate-limits {
                  github { rate = 10/s, burst = 20, max-wait = 5s }
                  status { rate = 600/m, per = target }
                }
                patrol.checks.c { type = probe, url = "https://127.0.0.1:1/", rate-limit = github }
                """));
        Map<String, RateLimitSettings> limits = settings.rateLimits();
        assertThat(limits)
                .containsEntry(
                        "github",
                        new RateLimitSettings(
                                "github",
                                new Rate(10, Duration.ofSeconds(1)),
                                20,
                                Duration.ofSeconds(5),
                                RateLimitSettings.Per.LIMIT))
                .containsEntry(
                        "status",
                        new RateLimitSettings(
                                "status",
                                new Rate(600, Duration.ofMinutes(1)),
                                600,
                                Duration.ofSeconds(30),
                                RateLimitSettings.Per.TARGET));
        assertThat(RateLimitKeys.limitOf(settings.checks().get("c"))).isEqualTo("github");
    }

    @Test
    void badLimitsAndUnknownNamesAreProblemsAtTheirLine() {
        Path file = write(
                dir,
                "patrol.conf",
                """
                patrol.rate-limits {
                  a { rate = 10/d }
                  b { burst = 0, per = host, rate = 1/s }
                  c { rate = 1/s, colour = blue }
                  d { }
                }
                patrol.checks.x { type = probe, url = "https://127.0.0.1:1/", rate-limit = githib }
                patrol.checks.y { type = probe, url = "https://127.0.0.1:1/", rate-limit = a }
                """);
        assertThat(problems(file, dir))
                .containsExactly(
                        "patrol.conf:2: patrol.rate-limits.a.rate: expected " + Rate.EXPECTED + ", got '10/d'",
                        "patrol.conf:3: patrol.rate-limits.b.burst: expected an integer from 1 to 1000000, got 0",
                        "patrol.conf:3: patrol.rate-limits.b.per: expected one of limit, target, got 'host'",
                        "patrol.conf:4: patrol.rate-limits.c.colour: unknown key; expected one of rate, burst,"
                                + " max-wait, per",
                        "patrol.conf:5: patrol.rate-limits.d.rate: is required: expected " + Rate.EXPECTED,
                        "patrol.conf:7: patrol.checks.x.rate-limit: expected the name of a patrol.rate-limits block,"
                                + " got 'githib'; known limits: a, b, c, d");
    }
}
