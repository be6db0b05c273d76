package dev.patrol.core.engine;

import dev.patrol.core.config.LimitsSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Non-blocking permits for runs in flight: globally, per target host and per check. A fire that finds a limit full is
 * skipped and counted rather than queued, because a queue in front of a stuck host only grows.
 *
 * <p>Thread-safe. Limits can be changed by a reload while runs are in flight; permits taken under the old limits are
 * released normally.
 */
final class ConcurrencyLimits {
    private final AtomicInteger global = new AtomicInteger();
    private final Map<String, AtomicInteger> perHost = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perCheck = new ConcurrentHashMap<>();
    private volatile LimitsSettings limits;

    ConcurrencyLimits(LimitsSettings limits) {
        this.limits = limits;
    }

    void update(LimitsSettings newLimits) {
        this.limits = newLimits;
    }

    /** Takes one permit of each kind, or none. */
    boolean tryAcquire(String check, String host) {
        LimitsSettings current = limits;
        if (!tryIncrement(global, current.maxInFlight())) {
            return false;
        }
        AtomicInteger hostCount = perHost.computeIfAbsent(host, h -> new AtomicInteger());
        if (!tryIncrement(hostCount, current.maxInFlightPerHost())) {
            global.decrementAndGet();
            return false;
        }
        AtomicInteger checkCount = perCheck.computeIfAbsent(check, c -> new AtomicInteger());
        if (!tryIncrement(checkCount, current.maxInFlightPerCheck())) {
            hostCount.decrementAndGet();
            global.decrementAndGet();
            return false;
        }
        return true;
    }

    void release(String check, String host) {
        perCheck.get(check).decrementAndGet();
        perHost.get(host).decrementAndGet();
        global.decrementAndGet();
    }

    int inFlight() {
        return global.get();
    }

    private static boolean tryIncrement(AtomicInteger counter, int limit) {
        while (true) {
            int current = counter.get();
            if (current >= limit) {
                return false;
            }
            if (counter.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }
}
