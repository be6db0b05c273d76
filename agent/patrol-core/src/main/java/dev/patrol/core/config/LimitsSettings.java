package dev.patrol.core.config;

/**
 * {@code patrol.limits}: how many runs may be in flight at once, and how many SSH handshakes.
 *
 * @param maxInFlight across the whole agent
 * @param maxInFlightPerHost against one target host (all checks together)
 * @param maxInFlightPerCheck of one check (all targets together)
 * @param blockingThreads size of the executor for plugin code that must block
 * @param maxSshHandshakes SSH handshakes (connect, key exchange, login) in progress at once across the agent
 */
public record LimitsSettings(
        int maxInFlight, int maxInFlightPerHost, int maxInFlightPerCheck, int blockingThreads, int maxSshHandshakes) {

    /** Limits without a bound on SSH handshakes, for engines built without a configuration (tests, embedding). */
    public LimitsSettings(int maxInFlight, int maxInFlightPerHost, int maxInFlightPerCheck, int blockingThreads) {
        this(maxInFlight, maxInFlightPerHost, maxInFlightPerCheck, blockingThreads, Integer.MAX_VALUE);
    }
}
