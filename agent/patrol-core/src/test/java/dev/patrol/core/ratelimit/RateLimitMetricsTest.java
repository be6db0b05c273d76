package dev.patrol.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.CollectorRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A reload that takes a pair or a limit away takes its series away too. */
class RateLimitMetricsTest {
    private final RateLimiter limiter = new RateLimiter(System::nanoTime);
    private final RateLimitMetrics metrics = new RateLimitMetrics(limiter);
    private final CollectorRegistry registry = new CollectorRegistry();

    RateLimitMetricsTest() {
        metrics.register(registry);
    }

    @Test
    void throttledSeriesOfRemovedPairsGoAndTheOthersKeepTheirCounts() {
        metrics.throttled("repo-ci", "repo-a");
        metrics.throttled("repo-ci", "repo-a");
        metrics.throttled("repo-ci", "repo-b");
        metrics.throttled("quota", "repo-a");

        metrics.retainThrottled((check, target) -> check.equals("repo-ci") && target.equals("repo-a"));

        assertThat(throttled("repo-ci", "repo-a")).isEqualTo(2.0);
        assertThat(throttled("repo-ci", "repo-b")).isNull();
        assertThat(throttled("quota", "repo-a")).isNull();
    }

    @Test
    void waitSeriesOfRemovedLimitsGo() {
        limiter.update(Map.of("github", limit("github"), "old", limit("old")));
        metrics.granted("github", Duration.ofMillis(200));
        metrics.granted("old", Duration.ofMillis(200));

        metrics.retainLimits(Set.of("github"));

        assertThat(value("patrol_rate_limit_waits_total", "github")).isEqualTo(1.0);
        assertThat(value("patrol_rate_limit_wait_seconds_count", "github")).isEqualTo(1.0);
        assertThat(value("patrol_rate_limit_waits_total", "old")).isNull();
        assertThat(value("patrol_rate_limit_wait_seconds_count", "old")).isNull();
        assertThat(registry.getSampleValue(
                        "patrol_rate_limit_wait_seconds_bucket",
                        new String[] {"limit", "le"},
                        new String[] {"old", "1.0"}))
                .isNull();
    }

    private static RateLimitSettings limit(String name) {
        return new RateLimitSettings(
                name, Rate.parse("10/s").orElseThrow(), 1, Duration.ofSeconds(5), RateLimitSettings.Per.LIMIT);
    }

    private Double throttled(String check, String target) {
        return registry.getSampleValue(
                "patrol_http_throttled_total", new String[] {"check", "target"}, new String[] {check, target});
    }

    private Double value(String name, String limit) {
        return registry.getSampleValue(name, new String[] {"limit"}, new String[] {limit});
    }
}
