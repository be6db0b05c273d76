package dev.patrol.core.config;

import java.time.Duration;

/**
 * How a check's results become soft and hard states (Nagios semantics), from the check's {@code max-attempts},
 * {@code soft-interval}, {@code flap-high} and {@code flap-low}.
 *
 * @param maxAttempts how many non-OK results in a row make a hard state; 1 makes every result hard at once
 * @param softInterval how often the check runs while its state is soft; {@code null} keeps the check's interval
 * @param flapHigh percent state change above which the pair starts flapping
 * @param flapLow percent state change below which a flapping pair stops flapping
 */
public record StateSettings(int maxAttempts, Duration softInterval, double flapHigh, double flapLow) {
    /** What a check gets when nothing is configured: every result hard at once, Nagios' flap thresholds. */
    public static final StateSettings DEFAULT = new StateSettings(1, null, 50.0, 25.0);
}
