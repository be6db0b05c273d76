package dev.patrol.core.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live state of every registered (check, target) pair. Metrics and the status page read it at scrape time; the
 * engine writes run results into it. A pair removed by a reload is dropped here, and with it all its series.
 *
 * <p>Thread-safe.
 */
public final class ResultStore {
    private final Map<SeriesKey, SeriesState> series = new ConcurrentHashMap<>();

    /**
     * Registers a pair, or keeps its existing state when nothing that shapes its series changed. A pair whose labels
     * changed starts over, so that no series with the old label set lingers.
     */
    public SeriesState register(
            SeriesKey key, String type, Map<String, String> labels, Duration interval, Duration timeout) {
        return series.compute(
                key,
                (k, existing) -> existing != null && existing.matches(type, labels, interval, timeout)
                        ? existing
                        : new SeriesState(k, type, labels, interval, timeout));
    }

    /** Drops every pair not in {@code keep}. */
    public void retainOnly(Set<SeriesKey> keep) {
        series.keySet().retainAll(keep);
    }

    public Optional<SeriesState> get(SeriesKey key) {
        return Optional.ofNullable(series.get(key));
    }

    /** A snapshot, sorted by check then target. */
    public List<SeriesState> all() {
        List<SeriesState> snapshot = new ArrayList<>(series.values());
        snapshot.sort((a, b) -> a.key().compareTo(b.key()));
        return snapshot;
    }
}
