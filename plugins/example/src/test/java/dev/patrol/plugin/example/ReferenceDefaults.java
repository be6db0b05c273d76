package dev.patrol.plugin.example;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.patrol.testing.PluginTestSupport;

/** The defaults a check block of this plugin falls back to, as the agent merges them. */
final class ReferenceDefaults {
    private ReferenceDefaults() {}

    /**
     * {@code patrol.plugin-defaults.example} from this plugin's reference.conf, then the common defaults the agent
     * adds ({@link PluginTestSupport#COMMON_DEFAULTS}).
     */
    static Config example() {
        return PluginTestSupport.pluginDefaults(ExamplePlugin.class, ExamplePlugin.TYPE)
                .withFallback(ConfigFactory.parseString(PluginTestSupport.COMMON_DEFAULTS));
    }

    /** {@code hocon} as a check block with the defaults behind it. */
    static Config block(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(example());
    }
}
