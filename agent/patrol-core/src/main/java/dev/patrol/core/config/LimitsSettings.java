package dev.patrol.core.config;

import com.typesafe.config.Config;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsReader;

/**
 * {@code patrol.limits}: how many runs may be in flight at once, and how many SSH handshakes.
 *
 * <pre>{@code
 * LimitsSettings limits = LimitsSettings.from(patrol.getConfig("limits"));
 * }</pre>
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

    /**
     * Reads and validates the {@code limits} block, reference defaults included.
     *
     * @throws InvalidSettingsException with every problem, paths relative to the block
     */
    public static LimitsSettings from(Config limits) {
        SettingsReader reader = new SettingsReader(limits);
        Integer maxInFlight = reader.integer("max-in-flight", 1, 1_000_000);
        Integer perHost = reader.integer("max-in-flight-per-host", 1, 1_000_000);
        Integer perCheck = reader.integer("max-in-flight-per-check", 1, 1_000_000);
        Integer blockingThreads = reader.integer("blocking-threads", 1, 1_024);
        Integer handshakes = reader.integer("max-ssh-handshakes", 1, 10_000);
        reader.throwIfInvalid();
        return new LimitsSettings(maxInFlight, perHost, perCheck, blockingThreads, handshakes);
    }
}
