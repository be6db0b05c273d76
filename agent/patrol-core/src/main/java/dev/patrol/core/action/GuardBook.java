package dev.patrol.core.action;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * When each (action, target) ran in the last hour: what {@code max-per-hour} and {@code cooldown} are decided on.
 * Saved under state-dir by {@link StateFile}, so a restart neither resets the rate limit nor ends a cooldown.
 *
 * <p>Thread-safe: every method is synchronized.
 */
public final class GuardBook {
    static final Duration HOUR = Duration.ofHours(1);

    /** An (action, target) pair. */
    public record Key(String action, String target) implements Comparable<Key> {
        @Override
        public int compareTo(Key other) {
            int byAction = action.compareTo(other.action);
            return byAction != 0 ? byAction : target.compareTo(other.target);
        }
    }

    private final Map<Key, Deque<Instant>> runs = new HashMap<>();

    public synchronized void record(Key key, Instant at) {
        runs.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(at);
    }

    /** Runs that started within the hour before {@code now}. */
    public synchronized int runsInLastHour(Key key, Instant now) {
        Deque<Instant> times = prune(key, now);
        Instant hourAgo = now.minus(HOUR);
        return times == null
                ? 0
                : (int) times.stream().filter(time -> time.isAfter(hourAgo)).count();
    }

    public synchronized Optional<Instant> lastRun(Key key) {
        Deque<Instant> times = runs.get(key);
        return times == null || times.isEmpty() ? Optional.empty() : Optional.of(times.peekLast());
    }

    /** The runs of every pair, oldest first, pruned to the last hour. */
    public synchronized Map<Key, List<Instant>> snapshot(Instant now) {
        Map<Key, List<Instant>> copy = new TreeMap<>();
        for (Key key : new ArrayList<>(runs.keySet())) {
            Deque<Instant> times = prune(key, now);
            if (times != null && !times.isEmpty()) {
                copy.put(key, List.copyOf(times));
            }
        }
        return copy;
    }

    public synchronized void restore(Map<Key, List<Instant>> saved) {
        saved.forEach((key, times) ->
                runs.computeIfAbsent(key, k -> new ArrayDeque<>()).addAll(times));
    }

    private Deque<Instant> prune(Key key, Instant now) {
        Deque<Instant> times = runs.get(key);
        // Keep the last run even when older than an hour: a cooldown may be longer than that.
        while (times != null && times.size() > 1 && !times.peekFirst().isAfter(now.minus(HOUR))) {
            times.removeFirst();
        }
        return times;
    }
}
