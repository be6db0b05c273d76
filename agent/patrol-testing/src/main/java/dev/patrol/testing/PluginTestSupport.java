package dev.patrol.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.patrol.api.CheckResult;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.Sample;
import dev.patrol.api.SettingsProblem;
import java.util.List;
import java.util.Optional;

/**
 * Check blocks built the way the agent builds them (the plugin's defaults, then {@code patrol.defaults}) and results
 * read back, for a plugin's unit tests.
 *
 * <pre>{@code
 * Config defaults = PluginTestSupport.pluginDefaults(HttpPlugin.class, "http");
 * HttpSettings settings = HttpSettings.from(PluginTestSupport.block("url = \"http://127.0.0.1/\"", defaults));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class PluginTestSupport {
    /** The {@code patrol.defaults} tests put behind a block: fixed here, so they do not follow the agent's. */
    public static final String COMMON_DEFAULTS = "timeout = 10s, interval = 30s, retries = 0";

    private PluginTestSupport() {}

    /**
     * {@code patrol.plugin-defaults.<type>} from the {@code reference.conf} of {@code plugin}'s own jar, not merged
     * with any other on the class path.
     */
    public static Config pluginDefaults(Class<?> plugin, String type) {
        return ConfigFactory.parseResources(plugin, "/reference.conf")
                .resolve()
                .getConfig("patrol.plugin-defaults." + type);
    }

    /** A check block written in HOCON, with {@code pluginDefaults} and then {@link #COMMON_DEFAULTS} behind it. */
    public static Config block(String hocon, Config pluginDefaults) {
        return ConfigFactory.parseString(hocon)
                .withFallback(pluginDefaults)
                .withFallback(ConfigFactory.parseString(COMMON_DEFAULTS))
                .resolve();
    }

    /** The problems {@code parse} reports for the block written as {@code hocon}; fails the test when it reports none. */
    public static List<SettingsProblem> problems(String hocon, Runnable parse) {
        try {
            parse.run();
        } catch (InvalidSettingsException e) {
            return e.problems();
        }
        throw new AssertionError("expected settings problems for: " + hocon);
    }

    /** The value of the first sample named {@code name} (any labels). */
    public static Optional<Double> sample(CheckResult result, String name) {
        return result.samples().stream()
                .filter(sample -> sample.name().equals(name))
                .map(Sample::value)
                .findFirst();
    }
}
