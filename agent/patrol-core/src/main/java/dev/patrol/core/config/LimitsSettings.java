package dev.patrol.core.config;

/**
 * {@code patrol.limits}: how many runs may be in flight at once.
 *
 * @param maxInFlight across the whole agent
 * @param maxInFlightPerHost against one target host (all checks together)
 * @param maxInFlightPerCheck of one check (all targets together)
 * @param blockingThreads size of the executor for plugin code that must block
 */
public record LimitsSettings(int maxInFlight, int maxInFlightPerHost, int maxInFlightPerCheck, int blockingThreads) {}
