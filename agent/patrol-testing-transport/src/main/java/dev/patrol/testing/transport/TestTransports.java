package dev.patrol.testing.transport;

import com.typesafe.config.ConfigFactory;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.TestSettings;
import dev.patrol.transport.http.HttpClientPool;
import dev.patrol.transport.ssh.SshMetrics;
import dev.patrol.transport.ssh.SshSessionPool;
import dev.patrol.transport.ssh.SshSettings;
import dev.patrol.transport.ssh.SshSettingsByTarget;
import java.nio.file.Path;
import java.util.Map;

/**
 * The agent's real SSH session pool and HTTP clients for a plugin's tests, built from the transport module alone, so
 * that a plugin never needs {@code patrol-core} on its class path. Settings a test leaves out take the agent's
 * defaults ({@link SshSettings#defaults()}).
 *
 * <pre>{@code
 * sshd = OpenSshServer.create(dir.resolve("sshd")).start();
 * Path knownHosts = SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of(sshd.knownHostsLine(false)));
 * pool = TestTransports.sshPool(sshd, knownHosts, Map.of("max-channels", 2));
 * CheckResult result = check.run(target, TestCheckContext.builder().ssh(pool).build()) ...;
 *
 * HttpClientPool clients = TestTransports.httpClients();
 * TestCheckContext.builder().http(clients::get).build();
 * }</pre>
 *
 * <p>Stateless and thread-safe; the caller closes what it gets.
 */
public final class TestTransports {

    private TestTransports() {}

    /**
     * Settings that log in to {@code sshd} as its user with its client key, checking its host key strictly against
     * {@code knownHosts}, with {@code overrides} (keys of a {@code patrol.ssh} block, e.g. {@code "user"} or
     * {@code "max-channels"}) on top.
     */
    public static SshSettings sshSettings(OpenSshServer sshd, Path knownHosts, Map<String, ?> overrides) {
        Map<String, Object> block = TestSettings.sshClient(sshd, knownHosts);
        block.putAll(overrides);
        return sshSettings(block);
    }

    /** Settings from the keys of a {@code patrol.ssh} block, as a load reads them; a {@link Path} value is its text. */
    public static SshSettings sshSettings(Map<String, ?> block) {
        return SshSettings.from(TestSettings.with(ConfigFactory.empty(), block));
    }

    /** A pool that reaches every target with {@link #sshSettings(OpenSshServer, Path, Map)}. */
    public static SshSessionPool sshPool(OpenSshServer sshd, Path knownHosts, Map<String, ?> overrides) {
        return sshPool(sshSettings(sshd, knownHosts, overrides), Map.of());
    }

    /** A pool that reaches every target as {@code sshd}'s user, with the agent's defaults otherwise. */
    public static SshSessionPool sshPool(OpenSshServer sshd, Path knownHosts) {
        return sshPool(sshd, knownHosts, Map.of());
    }

    /**
     * A pool that reaches the targets named in {@code byTarget} with their own settings, as targets with an {@code ssh}
     * block of their own, and every other target with {@code everywhere}. {@link SshSessionPool#update} swaps them.
     */
    public static SshSessionPool sshPool(SshSettings everywhere, Map<String, SshSettings> byTarget) {
        return new SshSessionPool(new SshSettingsByTarget(everywhere, byTarget), new SshMetrics());
    }

    /** The agent's HTTP client pool: one client per distinct TLS setting, all sharing a few daemon threads. */
    public static HttpClientPool httpClients() {
        return new HttpClientPool();
    }

    /** The agent's HTTP client pool with {@code threads} threads for completions and bodies; {@code 1} for tests that count threads. */
    public static HttpClientPool httpClients(int threads) {
        return new HttpClientPool(threads);
    }
}
