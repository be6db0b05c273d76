package dev.patrol.transport.ssh;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.patrol.api.Target;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.TestCheckContext;
import dev.patrol.testing.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Settings, targets and run contexts for the SSH pool's tests. */
final class SshTesting {

    private SshTesting() {}

    /** The {@code patrol.ssh} defaults from core's reference.conf. */
    static Config defaults() {
        return ConfigFactory.defaultReference().getConfig("patrol.ssh");
    }

    /** The defaults with {@code overrides} on top, e.g. {@code Map.of("user", "root")}. */
    static Config ssh(Map<String, ?> overrides) {
        return TestSettings.with(defaults(), overrides);
    }

    /** What logs in to {@code sshd} with strict host-key checking against {@code knownHosts}, plus {@code more}. */
    static Map<String, Object> client(OpenSshServer sshd, Path knownHosts, Map<String, ?> more) {
        Map<String, Object> settings = TestSettings.sshClient(sshd, knownHosts);
        settings.putAll(more);
        return settings;
    }

    static Target target(String name, String host, int port) {
        return Target.of(name, host, port);
    }

    /** A target with its own {@code ssh} block. */
    static Target target(String name, String host, int port, Map<String, ?> ssh) {
        return new Target(name, host, port, Map.of(), TestSettings.under("ssh", ssh));
    }

    /** A run whose deadline is {@code timeout} from now; {@link TestCheckContext#cancelled()} completes then. */
    static TestCheckContext run(Duration timeout) {
        return TestCheckContext.builder().check("ssh-test").timeout(timeout).build();
    }
}
