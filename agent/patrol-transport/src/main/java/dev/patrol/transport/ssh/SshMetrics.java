package dev.patrol.transport.ssh;

import dev.patrol.api.Reason;
import io.prometheus.client.Collector;
import io.prometheus.client.Counter;
import io.prometheus.client.GaugeMetricFamily;
import io.prometheus.client.Histogram;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The SSH pool's self-metrics. Every label value comes from a closed set or from the configured target names:
 *
 * <ul>
 *   <li>{@code patrol_ssh_sessions{state}}: connections by state ({@code connecting}, {@code open} with commands
 *       running, {@code idle}, {@code failed} waiting out a backoff), computed at scrape time;
 *   <li>{@code patrol_ssh_connects_total{target,result}}: connection attempts, {@code result} one of {@code success},
 *       {@code refused}, {@code timeout}, {@code host_key}, {@code auth}, {@code error}; every value present from the
 *       target's first use;
 *   <li>{@code patrol_ssh_handshakes{state}}: handshakes {@code running} (at most
 *       {@code patrol.limits.max-ssh-handshakes}) and {@code queued} for a slot, computed at scrape time;
 *   <li>{@code patrol_ssh_channel_open_seconds}: how long the server took to confirm a channel;
 *   <li>{@code patrol_ssh_channel_refusals_total}: channel opens the server refused for now ({@link RefusedOpens}),
 *       each asked again: a steady rate says a host's {@code MaxSessions} is below its {@code max-channels}.
 * </ul>
 *
 * <pre>{@code
 * SshMetrics metrics = new SshMetrics();
 * metrics.register(CollectorRegistry.defaultRegistry);
 * SshSessionPool pool = new SshSessionPool(SshSettingsByTarget.of(SshSettings.defaults()), metrics);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class SshMetrics extends Collector {
    static final List<String> RESULTS = List.of("success", "refused", "timeout", "host_key", "auth", "error");

    private final Counter connects = Counter.build()
            .name("patrol_ssh_connects_total")
            .help("SSH connection attempts by target and result.")
            .labelNames("target", "result")
            .create();
    private final Histogram channelOpen = Histogram.build()
            .name("patrol_ssh_channel_open_seconds")
            .help("Time from requesting an SSH channel to the server confirming or refusing it.")
            .buckets(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
            .withoutExemplars() // no tracer: skip the exemplar lookup on every observation
            .create();
    private final Counter channelRefusals = Counter.build()
            .name("patrol_ssh_channel_refusals_total")
            .help(
                    "SSH channel opens the server refused for now (its MaxSessions taken), each asked again after 200 ms.")
            .create();
    private volatile Supplier<Map<ConnectionState, Integer>> states = Map::of;
    private volatile Supplier<int[]> handshakes = () -> new int[2];

    /** Where the session counts come from: the pool, once it exists. */
    void sessionStates(Supplier<Map<ConnectionState, Integer>> source) {
        this.states = source;
    }

    /** Where the handshake counts come from: {running, queued}. */
    void handshakeCounts(Supplier<int[]> source) {
        this.handshakes = source;
    }

    void initTarget(String target) {
        RESULTS.forEach(result -> connects.labels(target, result));
    }

    /** Counts one connection attempt; {@code failure} is {@code null} for a success. */
    void connected(String target, Reason failure) {
        connects.labels(target, resultOf(failure)).inc();
    }

    void channelOpened(Duration took) {
        channelOpen.observe(took.toNanos() / 1e9);
    }

    void channelRefused() {
        channelRefusals.inc();
    }

    static String resultOf(Reason failure) {
        if (failure == null) {
            return "success";
        }
        return switch (failure) {
            case CONNECTION_REFUSED -> "refused";
            case TIMEOUT -> "timeout";
            case HOST_KEY_MISMATCH, HOST_KEY_UNKNOWN -> "host_key";
            case AUTH_FAILED -> "auth";
            default -> "error";
        };
    }

    @Override
    public List<MetricFamilySamples> collect() {
        GaugeMetricFamily sessions =
                new GaugeMetricFamily("patrol_ssh_sessions", "SSH connections by state.", List.of("state"));
        Map<ConnectionState, Integer> counts = new EnumMap<>(ConnectionState.class);
        counts.putAll(states.get());
        for (ConnectionState state : ConnectionState.values()) {
            if (state != ConnectionState.CLOSED) {
                sessions.addMetric(List.of(state.name().toLowerCase(Locale.ROOT)), counts.getOrDefault(state, 0));
            }
        }
        GaugeMetricFamily handshaking = new GaugeMetricFamily(
                "patrol_ssh_handshakes",
                "SSH handshakes running (at most patrol.limits.max-ssh-handshakes) and queued for a slot.",
                List.of("state"));
        int[] handshakeCounts = handshakes.get();
        handshaking.addMetric(List.of("running"), handshakeCounts[0]);
        handshaking.addMetric(List.of("queued"), handshakeCounts[1]);
        List<MetricFamilySamples> families = new ArrayList<>();
        families.add(sessions);
        families.add(handshaking);
        families.addAll(connects.collect());
        families.addAll(channelOpen.collect());
        families.addAll(channelRefusals.collect());
        return families;
    }
}
