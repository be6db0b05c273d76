package dev.patrol.plugin.sshcommand;

import com.typesafe.config.Config;
import dev.patrol.api.CheckResult;
import dev.patrol.api.Sample;
import dev.patrol.testing.PluginTestSupport;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Builds check blocks the way the agent does (plugin defaults, then patrol.defaults) and reads results. */
final class SshCommandTestSupport {

    private SshCommandTestSupport() {}

    /** This plugin's defaults, from its own reference.conf. */
    static Config pluginDefaults() {
        return PluginTestSupport.pluginDefaults(SshCommandPlugin.class, "ssh-command");
    }

    /** A check block written in HOCON, with the fallbacks the agent adds. */
    static Config block(String hocon) {
        return PluginTestSupport.block(hocon, pluginDefaults());
    }

    static SshCommandSettings settings(String hocon) {
        return SshCommandSettings.from(block(hocon));
    }

    static Optional<Double> sample(CheckResult result, String name) {
        return PluginTestSupport.sample(result, name);
    }

    /** Every sample as name (plus labels, when it has some) to value, sorted, for whole-result assertions. */
    static Map<String, Double> samples(CheckResult result) {
        Map<String, Double> all = new TreeMap<>();
        for (Sample sample : result.samples()) {
            String key = sample.labels().isEmpty() ? sample.name() : sample.name() + new TreeMap<>(sample.labels());
            all.put(key, sample.value());
        }
        return all;
    }
}
