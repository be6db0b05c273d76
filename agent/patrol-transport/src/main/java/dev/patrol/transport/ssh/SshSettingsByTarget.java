package dev.patrol.transport.ssh;

import dev.patrol.api.Target;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The SSH settings of every target, resolved when the configuration is loaded: the global {@code patrol.ssh} block,
 * and for each target with an {@code ssh} block of its own, that block over the global one. A pool only looks them
 * up, so an invalid setting is a {@code check-config} problem, never a failed run.
 *
 * <pre>{@code
 * SshSettingsByTarget settings = new SshSettingsByTarget(global, Map.of("db-1", db1Settings));
 * SshSettings forDb1 = settings.of(target);
 * }</pre>
 *
 * @param defaults what targets without an {@code ssh} block of their own use
 * @param byTarget target name to the effective settings of that target, for targets with their own block
 */
public record SshSettingsByTarget(SshSettings defaults, Map<String, SshSettings> byTarget) {

    public SshSettingsByTarget {
        Objects.requireNonNull(defaults, "defaults");
        byTarget = Map.copyOf(byTarget);
    }

    /** The same settings for every target. */
    public static SshSettingsByTarget of(SshSettings everywhere) {
        return new SshSettingsByTarget(everywhere, Map.of());
    }

    /** The longest {@code connect-timeout} of any target: the client-wide bound must let each reach its own. */
    public Duration longestConnectTimeout() {
        Duration longest = defaults.connectTimeout();
        for (SshSettings settings : byTarget.values()) {
            if (settings.connectTimeout().compareTo(longest) > 0) {
                longest = settings.connectTimeout();
            }
        }
        return longest;
    }

    /** The effective settings of {@code target}. */
    public SshSettings of(Target target) {
        return byTarget.getOrDefault(target.name(), defaults);
    }
}
