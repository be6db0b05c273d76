package dev.patrol.core.metrics;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.Gauge;
import io.prometheus.client.GaugeMetricFamily;
import io.prometheus.client.Histogram;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;

/**
 * The agent's own metrics that are instrumented directly: scheduler lateness, plugin errors, reloads, in-flight runs.
 * Per-check series are not here: {@link CheckCollector} computes them at scrape time from the result store.
 *
 * <p>Thread-safe (simpleclient metrics are).
 */
public final class AgentMetrics {
    private final Histogram lateness = Histogram.build()
            .name("patrol_scheduler_lateness_seconds")
            .help("How late checks start: actual start minus scheduled start.")
            .buckets(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .withoutExemplars() // no tracer: skip the exemplar lookup on every observation
            .create();
    private final Counter pluginErrors = Counter.build()
            .name("patrol_plugin_errors_total")
            .help("Exceptions thrown by check plugins, each turned into an UNKNOWN result with reason plugin_error.")
            .labelNames("type")
            .create();
    private final Counter samplesDropped = Counter.build()
            .name("patrol_samples_dropped_total")
            .help("Samples checks produced that /metrics leaves out, by reason; each counted once per run.")
            .labelNames("reason")
            .create();
    private final Gauge reloadSuccessful = Gauge.build()
            .name("patrol_config_last_reload_successful")
            .help("Whether the last configuration load or reload succeeded (1) or was rejected (0).")
            .create();
    private final Gauge reloadSuccessTime = Gauge.build()
            .name("patrol_config_last_reload_success_timestamp_seconds")
            .help("When the configuration was last loaded successfully, in seconds since the epoch.")
            .create();
    private final Counter reloads = Counter.build()
            .name("patrol_config_reloads_total")
            .help("Configuration reloads attempted, by result.")
            .labelNames("result")
            .create();
    private final Collector inFlight;

    /** Metrics of an agent that measures no stalls (the one-shot commands). */
    public AgentMetrics(IntSupplier inFlightRuns) {
        this(inFlightRuns, () -> 0);
    }

    /**
     * @param inFlightRuns the runs started and not finished
     * @param stalledSeconds how long the agent could not run so far (the engine's stall meter)
     */
    public AgentMetrics(IntSupplier inFlightRuns, DoubleSupplier stalledSeconds) {
        inFlight = new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                return List.of(
                        new GaugeMetricFamily(
                                "patrol_checks_in_flight",
                                "Check runs started and not yet finished.",
                                inFlightRuns.getAsInt()),
                        new CounterMetricFamily(
                                "patrol_agent_stalled_seconds",
                                "Time the agent could not run when it asked to: garbage-collection pauses, the"
                                        + " process stopped, paused or starved of CPU. Runs in flight across a stall"
                                        + " of half their timeout are agent_busy, not the target's timeout.",
                                stalledSeconds.getAsDouble()));
            }
        };
        for (DropReason reason : DropReason.values()) {
            samplesDropped.labels(reason.label());
        }
        reloads.labels("success");
        reloads.labels("failure");
    }

    public void register(CollectorRegistry registry) {
        registry.register(lateness);
        registry.register(pluginErrors);
        registry.register(samplesDropped);
        registry.register(reloadSuccessful);
        registry.register(reloadSuccessTime);
        registry.register(reloads);
        registry.register(inFlight);
    }

    public void observeLateness(double seconds) {
        lateness.observe(Math.max(0, seconds));
    }

    public void pluginError(String type) {
        pluginErrors.labels(type).inc();
    }

    /** Counts samples of one run left out for {@code reason}. */
    public void samplesDropped(DropReason reason, int count) {
        samplesDropped(reason.label(), count);
    }

    /** Counts samples of one run left out for the reason labelled {@code reason}, one of {@link DropReason}. */
    void samplesDropped(String reason, int count) {
        samplesDropped.labels(reason).inc(count);
    }

    /** Records a config load; {@code initial} loads are not counted as reloads. */
    public void configLoaded(boolean success, boolean initial, long epochMillis) {
        reloadSuccessful.set(success ? 1 : 0);
        if (success) {
            reloadSuccessTime.set(epochMillis / 1000.0);
        }
        if (!initial) {
            reloads.labels(success ? "success" : "failure").inc();
        }
    }
}
