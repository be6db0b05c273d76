package dev.patrol.core.state;

import dev.patrol.core.config.SeriesDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The live (check, target) pairs and the state of each. It owns the set: the scheduler fires only what is here, the
 * engine records only into what is here, metrics and the status page show only what is here. A pair removed by a
 * reload is dropped, and with it all its series.
 *
 * <p>Thread-safe.
 */
public final class ResultStore {
    private final Map<SeriesKey, SeriesState> series = new ConcurrentHashMap<>();

    /**
     * Makes the live pairs those of {@code loaded}: a pair whose series is unchanged
     * ({@link SeriesDefinition#sameSeriesAs}) keeps its state and runs the new definition from now on; a new or changed
     * one starts over, so that no series with an old label set lingers; the rest are dropped.
     *
     * @param hardSoft the soft/hard state each pair had before, which outlives its series (restored at start)
     * @return the keys of the live pairs
     */
    public Set<SeriesKey> apply(
            Collection<SeriesDefinition> loaded, Function<SeriesKey, Optional<PairState>> hardSoft) {
        Set<SeriesKey> live = new HashSet<>();
        for (SeriesDefinition next : loaded) {
            SeriesKey key = new SeriesKey(next.check().name(), next.target().name());
            live.add(key);
            SeriesState state = series.compute(key, (k, existing) -> {
                boolean same = existing != null
                        && existing.definition().filter(next::sameSeriesAs).isPresent();
                SeriesState kept = same
                        ? existing
                        : new SeriesState(
                                k,
                                next.check().type(),
                                next.labels(),
                                next.interval(),
                                next.check().timeout());
                kept.definition(next);
                return kept;
            });
            state.hardSoft(hardSoft.apply(key).orElse(null));
        }
        retainOnly(live);
        return Set.copyOf(live);
    }

    /**
     * Registers one pair by hand, outside a configuration, with nothing for the scheduler to fire; what engine, metrics
     * and status page tests build their state with. Replaces any state the pair had.
     */
    public SeriesState register(
            SeriesKey key, String type, Map<String, String> labels, Duration interval, Duration timeout) {
        SeriesState state = new SeriesState(key, type, labels, interval, timeout);
        series.put(key, state);
        return state;
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
