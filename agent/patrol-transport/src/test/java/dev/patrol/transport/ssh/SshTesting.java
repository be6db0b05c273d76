package dev.patrol.transport.ssh;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.patrol.api.Target;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import dev.patrol.testing.TestCheckContext;
import dev.patrol.testing.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Settings, targets and run contexts for the SSH pool's tests. */
final class SshTesting {

    private SshTesting() {}

    /** An {@code ssh} block with {@code overrides}, e.g. {@code Map.of("user", "root")}; the rest are defaults. */
    static Config ssh(Map<String, ?> overrides) {
        return TestSettings.with(ConfigFactory.empty(), overrides);
    }

    /** A pool whose targets all use {@code block}. */
    static SshSessionPool pool(Config block, SshMetrics metrics) {
        return new SshSessionPool(SshSettingsByTarget.of(SshSettings.from(block)), metrics);
    }

    /** Gives {@code target} its own {@code ssh} block over {@code global} in {@code pool}, as a load would. */
    static void ownSettings(SshSessionPool pool, Config global, Target target, Map<String, ?> own) {
        SshSettings settings =
                SshSettings.from(TestSettings.with(ConfigFactory.empty(), own).withFallback(global));
        pool.update(new SshSettingsByTarget(SshSettings.from(global), Map.of(target.name(), settings)));
    }

    /** What logs in to {@code sshd} with strict host-key checking against {@code knownHosts}, plus {@code more}. */
    static Map<String, Object> client(OpenSshServer sshd, Path knownHosts, Map<String, ?> more) {
        Map<String, Object> settings = TestSettings.sshClient(sshd, knownHosts);
        settings.putAll(more);
        return settings;
    }

    /**
     * A pool that logs in to {@code sshd} with strict host-key checking, its known_hosts written under {@code dir},
     * plus {@code more} settings.
     */
    static SshSessionPool poolFor(OpenSshServer sshd, Path dir, Map<String, ?> more) {
        return poolFor(sshd, dir, more, new SshMetrics());
    }

    /** The same, with its metrics in {@code metrics} (registered where the test reads them). */
    static SshSessionPool poolFor(OpenSshServer sshd, Path dir, Map<String, ?> more, SshMetrics metrics) {
        Path knownHosts = SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of(sshd.knownHostsLine(false)));
        return pool(ssh(client(sshd, knownHosts, more)), metrics);
    }

    static Target target(String name, String host, int port) {
        return Target.of(name, host, port);
    }

    /** A run whose deadline is {@code timeout} from now; {@link TestCheckContext#cancelled()} completes then. */
    static TestCheckContext run(Duration timeout) {
        return TestCheckContext.builder().check("ssh-test").timeout(timeout).build();
    }
}
