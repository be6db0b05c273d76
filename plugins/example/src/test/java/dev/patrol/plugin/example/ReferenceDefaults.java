package dev.patrol.plugin.example;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** The defaults a check block of this plugin falls back to, as the agent merges them. */
final class ReferenceDefaults {
    private ReferenceDefaults() {}

    /** {@code patrol.plugin-defaults.example} then {@code patrol.defaults}, from every reference.conf on the path. */
    static Config example() {
        Config reference = ConfigFactory.defaultReference();
        return reference
                .getConfig("patrol.plugin-defaults." + ExamplePlugin.TYPE)
                .withFallback(reference.getConfig("patrol.defaults"));
    }

    /** {@code hocon} as a check block with the defaults behind it. */
    static Config block(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(example());
    }
}
