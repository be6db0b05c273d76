package dev.patrol.core.schedule;

import dev.patrol.core.state.SeriesKey;
import java.time.Duration;
import java.time.Instant;

/**
 * Spreads first fires over the interval by a stable hash of (check, target), so that 10,000 targets on a 30 s
 * interval fire evenly rather than in one burst, and each pair keeps the same phase across restarts and reloads.
 */
final class StartSpread {
    private StartSpread() {}

    /** The first instant at or after {@code now} that lies on the pair's phase within {@code interval}. */
    static Instant firstFire(SeriesKey key, Duration interval, Instant now) {
        long period = Math.max(1, interval.toMillis());
        long phase = Math.floorMod(stableHash(key), period);
        long nowMillis = now.toEpochMilli();
        long wait = Math.floorMod(phase - nowMillis, period);
        return Instant.ofEpochMilli(nowMillis + wait);
    }

    /**
     * String.hashCode is specified by the JLS, so it is the same in every JVM; the mixing step (MurmurHash3's
     * finaliser) spreads names that differ only in a trailing digit.
     */
    static long stableHash(SeriesKey key) {
        long h = (key.check() + '\u0000' + key.target()).hashCode();
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
