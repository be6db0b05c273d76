package dev.patrol.core.state;

import dev.patrol.api.CheckResult;
import dev.patrol.core.config.SeriesDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Everything kept about one (check, target) pair: its definition, run and skip counters, the last run, and a short
 * history. Counters start at zero when the pair is registered, so every {@code result} value is exported before the
 * first run.
 *
 * <p>Thread-safe: counters are an atomic array, the definition and the last run are volatile references, the history is guarded
 * by its monitor.
 */
public final class SeriesState {
    /** Recent runs kept for the status page; failures are kept in a second, longer-lived list. */
    static final int HISTORY = 10;

    static final int FAILURE_HISTORY = 10;

    private static final int OUTCOMES = Outcome.values().length;

    private final SeriesKey key;
    private final String type;
    private final Map<String, String> labels;
    private final Duration interval;
    private final Duration timeout;
    // Run counts by Outcome ordinal, then skip counts by SkipReason ordinal, in one array: a pair's counters are
    // bumped once per run, never contended, so ten LongAdders in two EnumMaps (~500 bytes a pair) bought nothing.
    private final AtomicLongArray counts = new AtomicLongArray(OUTCOMES + SkipReason.values().length);
    // Sized for their limit: an ArrayDeque's default array holds 16, and there are two per pair.
    private final Deque<Past> recent = new ArrayDeque<>(HISTORY + 1);
    private final Deque<Past> recentFailures = new ArrayDeque<>(FAILURE_HISTORY + 1);
    private volatile RunRecord last;
    private final Object unexposedLock = new Object();
    private RunRecord unexposedRun;
    private Map<String, Integer> unexposedCounted = Map.of();
    private Map<String, Integer> unexposedNow = Map.of();
    private volatile PairState hardSoft;
    private volatile String lastAction;
    private volatile SeriesDefinition definition;

    SeriesState(SeriesKey key, String type, Map<String, String> labels, Duration interval, Duration timeout) {
        this.key = key;
        this.type = type;
        this.labels = Map.copyOf(labels);
        this.interval = interval;
        this.timeout = timeout;
    }

    public SeriesKey key() {
        return key;
    }

    /** The plugin type of the check. */
    public String type() {
        return type;
    }

    /** Extra labels of this series beyond check and target: the check's static labels and exposed target labels. */
    public Map<String, String> labels() {
        return labels;
    }

    public Duration interval() {
        return interval;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * The check and target a fire of this pair runs: the latest loaded, which a reload that kept this state replaced.
     * Empty for a pair registered by hand, outside a configuration.
     */
    public Optional<SeriesDefinition> definition() {
        return Optional.ofNullable(definition);
    }

    void definition(SeriesDefinition loaded) {
        definition = loaded;
    }

    /** The last finished run, if any. */
    public Optional<RunRecord> last() {
        return Optional.ofNullable(last);
    }

    public long runs(Outcome outcome) {
        return counts.get(outcome.ordinal());
    }

    public long skips(SkipReason reason) {
        return counts.get(OUTCOMES + reason.ordinal());
    }

    public void recordSkip(SkipReason reason) {
        counts.incrementAndGet(OUTCOMES + reason.ordinal());
    }

    public void record(RunRecord run) {
        counts.incrementAndGet(run.outcome().ordinal());
        last = run;
        // The history shows each run's status, reason, timing and summary; only the last run's output and samples
        // are ever read, and kept twenty times over they were most of what a pair cost at 10,000 targets.
        CheckResult summary = run.summaryOnly().result();
        synchronized (recent) {
            summary = sameAsKept(summary);
            Past kept = new Past(
                    epochNanos(run.startedAt()), run.duration().toNanos(), run.outcome(), run.attempts(), summary);
            push(recent, kept, HISTORY);
            if (!run.result().status().isUp()) {
                push(recentFailures, kept, FAILURE_HISTORY);
            }
        }
    }

    /** The soft/hard state after the last result, once a result has been recorded. */
    public Optional<PairState> hardSoft() {
        return Optional.ofNullable(hardSoft);
    }

    public void hardSoft(PairState state) {
        hardSoft = state;
    }

    /** What the last remediation action triggered by this pair did, for the status page. */
    public Optional<String> lastAction() {
        return Optional.ofNullable(lastAction);
    }

    public void lastAction(String text) {
        lastAction = text;
    }

    /** Newest first; without output and samples (see {@link RunRecord#summaryOnly}). */
    public List<RunRecord> history() {
        synchronized (recent) {
            return runs(recent);
        }
    }

    /** The last failed runs, newest first, without output and samples; kept after the recent history has rolled past them. */
    public List<RunRecord> failures() {
        synchronized (recent) {
            return runs(recentFailures);
        }
    }

    /**
     * Notes what the scrape in progress left out of {@code run}'s samples, by reason. Returns, per reason, how many more
     * than any earlier scrape of the same run left out, so that each left-out sample is counted once per run however
     * often the run is scraped.
     */
    public Map<String, Integer> noteUnexposed(RunRecord run, Map<String, Integer> dropped) {
        synchronized (unexposedLock) {
            if (run != unexposedRun) {
                unexposedRun = run;
                unexposedCounted = new TreeMap<>();
            }
            Map<String, Integer> news = new TreeMap<>();
            dropped.forEach((reason, count) -> {
                int before = unexposedCounted.getOrDefault(reason, 0);
                if (count > before) {
                    news.put(reason, count - before);
                    unexposedCounted.put(reason, count);
                }
            });
            unexposedNow = Map.copyOf(dropped);
            return news;
        }
    }

    /** What the last scrape left out of the last run's samples, by reason; empty before a scrape saw that run. */
    public Map<String, Integer> unexposed() {
        synchronized (unexposedLock) {
            return unexposedRun != null && unexposedRun == last ? new TreeMap<>(unexposedNow) : Map.of();
        }
    }

    /**
     * A past run as the history keeps it: what {@link RunRecord#summaryOnly()} would keep, in about a quarter of the
     * memory (one object instead of four, the check and target left to the pair's key). At 12,000 pairs with full
     * histories the RunRecords, their Instants, Durations, results and summaries held about 25 MB.
     */
    private record Past(
            long startedAtEpochNanos, long durationNanos, Outcome outcome, int attempts, CheckResult result) {
        RunRecord toRun(SeriesKey key) {
            Instant startedAt = Instant.ofEpochSecond(0, startedAtEpochNanos);
            return new RunRecord(
                    key.check(), key.target(), outcome, result, startedAt, Duration.ofNanos(durationNanos), attempts);
        }
    }

    /**
     * An equal result already in the history, or {@code result}: a healthy target says the same few things run after
     * run ("HTTP 200 in 1 ms"), and each is kept once. Ten comparisons of short strings, under the history's lock.
     */
    private CheckResult sameAsKept(CheckResult result) {
        for (Past past : recent) {
            if (past.result().equals(result)) {
                return past.result();
            }
        }
        return result;
    }

    private List<RunRecord> runs(Deque<Past> past) {
        List<RunRecord> runs = new ArrayList<>(past.size());
        past.forEach(run -> runs.add(run.toRun(key)));
        return runs;
    }

    /** Nanoseconds since the epoch: a long holds them until the year 2262. */
    private static long epochNanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    private static void push(Deque<Past> deque, Past run, int limit) {
        deque.addFirst(run);
        while (deque.size() > limit) {
            deque.removeLast();
        }
    }
}
