package dev.patrol.core.ratelimit;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.GaugeMetricFamily;
import io.prometheus.client.Histogram;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code patrol_http_throttled_total{check,target}}, {@code patrol_rate_limit_waits_total{limit}}, {@code patrol_rate_limit_wait_seconds{limit}} and
 * {@code patrol_rate_limit_tokens{limit}} (read from the {@link RateLimiter} at scrape time). Thread-safe.
 */
public final class RateLimitMetrics {
    private final Counter waits = Counter.build()
            .name("patrol_rate_limit_waits_total")
            .help("Runs that had to wait for a token of a rate limit before they could start.")
            .labelNames("limit")
            .create();
    private final Histogram waitSeconds = Histogram.build()
            .name("patrol_rate_limit_wait_seconds")
            .help("How long runs waited for a token of a rate limit (zero when one was free).")
            .labelNames("limit")
            .buckets(0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60)
            .create();
    private final Counter throttled = Counter.build()
            .name("patrol_http_throttled_total")
            .help("Responses that told a check to slow down (HTTP 429, or 503 with Retry-After).")
            .labelNames("check", "target")
            .create();
    private final RateLimiter limiter;

    public RateLimitMetrics(RateLimiter limiter) {
        this.limiter = limiter;
    }

    public void register(CollectorRegistry registry) {
        registry.register(waits);
        registry.register(waitSeconds);
        registry.register(throttled);
        registry.register(new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                GaugeMetricFamily tokens = new GaugeMetricFamily(
                        "patrol_rate_limit_tokens",
                        "Tokens left in a rate limit (the emptiest bucket for per = target); negative while runs"
                                + " wait.",
                        List.of("limit"));
                for (Map.Entry<String, RateLimitSettings> entry :
                        limiter.limits().entrySet()) {
                    Double left = limiter.tokens(entry.getKey());
                    tokens.addMetric(
                            List.of(entry.getKey()),
                            left == null ? entry.getValue().burst() : left);
                }
                return List.of(tokens);
            }
        });
    }

    /** A response to {@code check} on {@code target} said to slow down. */
    public void throttled(String check, String target) {
        throttled.labels(check, target).inc();
    }

    /** A run got its token after {@code wait}. */
    public void granted(String limit, Duration wait) {
        if (!wait.isZero()) {
            waits.labels(limit).inc();
        }
        waitSeconds.labels(limit).observe(wait.toNanos() / 1e9);
    }
}
