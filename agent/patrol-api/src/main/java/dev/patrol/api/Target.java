package dev.patrol.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;

/**
 * A machine or endpoint checks run against, from {@code patrol.targets}.
 *
 * @param name the target's key in {@code patrol.targets}; the {@code target} label
 * @param host host name or address
 * @param port the target's port ({@code 22} unless configured); an HTTP check reads it through {@code {port}}
 * @param labels the target's labels, used by selectors; exposed on metrics only where a check says so
 * @param settings the whole target block, for transport settings a plugin may read (such as SSH user)
 */
public record Target(String name, String host, int port, Map<String, String> labels, Config settings) {

    public Target {
        labels = Map.copyOf(labels);
    }

    /** A target with no settings beyond its address, e.g. the implicit target of a fixed-URL check. */
    public static Target of(String name, String host, int port) {
        return new Target(name, host, port, Map.of(), ConfigFactory.empty());
    }
}
