package dev.patrol.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings blocks for tests, written as maps rather than HOCON so paths and numbers need no quoting.
 *
 * <pre>{@code
 * Config ssh = TestSettings.with(ConfigFactory.defaultReference().getConfig("patrol.ssh"),
 *         TestSettings.sshClient(sshd, knownHosts));
 * Config target = TestSettings.under("ssh", Map.of("user", "root"));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class TestSettings {

    private TestSettings() {}

    /** {@code base} with each value set at its key (a path expression); a {@link Path} is set as its string. */
    public static Config with(Config base, Map<String, ?> values) {
        Config config = base;
        for (Map.Entry<String, ?> entry : values.entrySet()) {
            Object value = entry.getValue() instanceof Path path ? path.toString() : entry.getValue();
            config = config.withValue(entry.getKey(), ConfigValueFactory.fromAnyRef(value));
        }
        return config;
    }

    /** A block holding only {@code values} under {@code key}, e.g. a target's own {@code ssh} block. */
    public static Config under(String key, Map<String, ?> values) {
        return with(ConfigFactory.empty(), values).atPath(key);
    }

    /**
     * What a {@code patrol.ssh} block needs to log in to {@code sshd} with strict host-key checking: its user, its
     * client key and {@code knownHosts}. A new mutable map, so a test can add to it.
     */
    public static Map<String, Object> sshClient(OpenSshServer sshd, Path knownHosts) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("user", sshd.user());
        settings.put("identity-file", sshd.clientKey());
        settings.put("known-hosts", knownHosts);
        return settings;
    }
}
