package dev.patrol.core.ratelimit;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.GaugeMetricFamily;
import io.prometheus.client.Histogram;
import io.prometheus.client.SimpleCollector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

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

    /**
     * Removes the throttled series of every (check, target) pair {@code keep} rejects, so that a pair a reload took
     * away is no longer exported.
     */
    public void retainThrottled(BiPredicate<String, String> keep) {
        removeChildren(throttled, labels -> !keep.test(labels.get(0), labels.get(1)));
    }

    /** Removes the wait series of limits not in {@code names}, after a reload took them away. */
    public void retainLimits(Set<String> names) {
        removeChildren(waits, labels -> !names.contains(labels.get(0)));
        removeChildren(waitSeconds, labels -> !names.contains(labels.get(0)));
    }

    /**
     * simpleclient lists no children, so they are found through the samples each one exposes; a child's own label
     * values come first (a histogram bucket's {@code le} follows them).
     */
    private static void removeChildren(SimpleCollector<?> family, Predicate<List<String>> drop) {
        for (Collector.MetricFamilySamples samples : family.collect()) {
            int own = samples.samples.stream()
                    .mapToInt(sample -> sample.labelNames.size())
                    .min()
                    .orElse(0);
            samples.samples.stream()
                    .map(sample -> sample.labelValues.subList(0, own))
                    .distinct()
                    .filter(drop)
                    .forEach(values -> family.remove(values.toArray(new String[0])));
        }
    }

    /** A run got its token after {@code wait}. */
    public void granted(String limit, Duration wait) {
        if (!wait.isZero()) {
            waits.labels(limit).inc();
        }
        waitSeconds.labels(limit).observe(wait.toNanos() / 1e9);
    }
}
