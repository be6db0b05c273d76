package dev.patrol.core.action;

import dev.patrol.core.config.ActionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The guardrails that need bookkeeping, decided in one place: the kill switch (looked up on disk every time, never
 * cached), {@code cooldown} and {@code max-per-hour} per (action, target), one action in flight per target across
 * all actions, and the global {@code max-concurrent}. An admitted run holds its target and a slot until
 * {@link #release}; it is recorded in the {@link GuardBook} before it starts, so a crash mid-run still counts.
 *
 * <p>Thread-safe: {@link #admit} and {@link #release} are synchronized, so two triggers can never both take the
 * last slot or the same target.
 */
public final class ActionGuard {
    private final GuardBook book;
    private final Set<String> busyTargets = new HashSet<>();
    private int running;
    private int maxRunning;

    public ActionGuard(GuardBook book) {
        this.book = book;
    }

    /** Whether the kill-switch file exists now; {@code null} means there is no kill switch. */
    public static boolean killSwitchOn(Path killSwitchFile) {
        return killSwitchFile != null && Files.exists(killSwitchFile);
    }

    /**
     * Decides whether the action may run against the target now; when it may (empty result) and this is not a dry
     * run, the run is recorded and holds the target and a slot.
     */
    public synchronized Optional<Suppression> admit(
            ActionSettings action, String target, ActionSettings.Limits limits, Instant now) {
        if (killSwitchOn(limits.killSwitchFile())) {
            return Optional.of(Suppression.KILL_SWITCH);
        }
        GuardBook.Key key = new GuardBook.Key(action.name(), target);
        Optional<Instant> last = book.lastRun(key);
        if (last.isPresent() && now.isBefore(last.get().plus(action.cooldown()))) {
            return Optional.of(Suppression.COOLDOWN);
        }
        if (book.runsInLastHour(key, now) >= action.maxPerHour()) {
            return Optional.of(Suppression.RATE_LIMIT);
        }
        if (busyTargets.contains(target)) {
            return Optional.of(Suppression.IN_FLIGHT);
        }
        if (running >= limits.maxConcurrent()) {
            return Optional.of(Suppression.MAX_CONCURRENT);
        }
        if (!action.dryRun()) {
            book.record(key, now);
            busyTargets.add(target);
            running++;
            maxRunning = Math.max(maxRunning, running);
        }
        return Optional.empty();
    }

    /** Frees the target and slot an admitted run held. */
    public synchronized void release(String target) {
        if (busyTargets.remove(target)) {
            running--;
        }
    }

    public synchronized int running() {
        return running;
    }

    /** The most actions that ever ran at once. */
    public synchronized int maxRunning() {
        return maxRunning;
    }
}
