package dev.patrol.api;

import java.util.List;

/**
 * The keys every check block takes whatever its type, which the agent reads itself: type, target selection, schedule,
 * deadline, retries, state and labels. A plugin's own keys are those of its {@code reference.conf}; the block handed
 * to {@link CheckPlugin#parse} may hold these too, and a plugin ignores them.
 *
 * <pre>{@code
 * boolean known = CommonCheckKeys.NAMES.contains(key) || pluginDefaults.hasPath(key);
 * }</pre>
 */
public final class CommonCheckKeys {
    /** The common keys, in the order {@code docs/configuration.md} lists them. */
    public static final List<String> NAMES = List.of(
            "type",
            "targets",
            "interval",
            "cron",
            "timeout",
            "retries",
            "retry-interval",
            "max-attempts",
            "soft-interval",
            "flap-high",
            "flap-low",
            "labels",
            "expose-labels",
            "description",
            "rate-limit");

    private CommonCheckKeys() {}
}
