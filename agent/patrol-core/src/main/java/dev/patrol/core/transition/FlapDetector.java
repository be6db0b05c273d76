package dev.patrol.core.transition;

import dev.patrol.api.Status;
import java.util.List;

/**
 * Nagios' flap detection: the percent of state changes over the last 21 results, each change weighted from 0.75
 * (oldest) to 1.25 (newest), so that recent changes count more. A pair starts flapping above {@code high} and stops
 * below {@code low}. Missing history (fewer than 21 results) counts as no change, as Nagios fills its history with
 * the first state. Pure and stateless.
 */
public final class FlapDetector {
    static final double LOW_WEIGHT = 0.75;
    static final double HIGH_WEIGHT = 1.25;
    private static final int ENTRIES = dev.patrol.core.state.PairState.HISTORY;

    private FlapDetector() {}

    /** @param history statuses, oldest first, at most 21 */
    public static double percentChange(List<Status> history) {
        // Align the history to the newest end of a 21-slot window: the newest change always weighs 1.25.
        int offset = ENTRIES - history.size();
        double changes = 0;
        for (int i = 1; i < history.size(); i++) {
            if (history.get(i) != history.get(i - 1)) {
                int x = i + offset;
                changes += ((x - 1) * (HIGH_WEIGHT - LOW_WEIGHT)) / (ENTRIES - 2) + LOW_WEIGHT;
            }
        }
        return changes * 100.0 / (ENTRIES - 1);
    }

    /** The hysteresis: flapping starts above {@code high} and ends below {@code low}. */
    public static boolean flapping(boolean wasFlapping, double percent, double high, double low) {
        return wasFlapping ? percent >= low : percent > high;
    }
}
