package dev.patrol.transport.ssh;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.patrol.api.Secret;
import dev.patrol.api.SettingsProblem;
import dev.patrol.api.SettingsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How the agent reaches targets over SSH: the {@code patrol.ssh} block, or a target's {@code ssh} block falling back
 * to it. See the {@code patrol.ssh} block of core's reference.conf for what each key means.
 *
 * <pre>{@code
 * SshSettings settings = SshSettings.from(config.getConfig("patrol.ssh"));
 * }</pre>
 *
 * @param user the login user; {@code null} means the user the agent runs as, as OpenSSH does
 * @param identityFile private key in OpenSSH or PEM format (ed25519, ECDSA, RSA), or {@code null}
 * @param identityPassphrase passphrase of {@code identityFile}, or {@code null} when it is not encrypted
 * @param password password for password authentication (discouraged), or {@code null}
 * @param knownHosts the OpenSSH known_hosts file host keys are checked against
 * @param maxOutputBytes default cap on captured stdout and stderr, each
 * @param proxyJump {@code user@bastion:port} to tunnel through, or {@code null}
 * @param commandChannel how commands reach the target: an exec channel each, or one dispatcher per connection
 */
public record SshSettings(
        String user,
        Path identityFile,
        Secret identityPassphrase,
        Secret password,
        Path knownHosts,
        HostKeyPolicy hostKeyPolicy,
        Duration connectTimeout,
        Duration authTimeout,
        Duration idleTimeout,
        Duration sessionIdleClose,
        Duration heartbeatInterval,
        int maxChannels,
        int maxOutputBytes,
        String proxyJump,
        CommandChannel commandChannel) {

    /** How a command reaches the target ({@code command-channel}); see {@link Dispatcher}. */
    public enum CommandChannel {
        /** An SSH exec channel per command, opened and closed around it. */
        EXEC,
        /** One persistent {@code /bin/sh} dispatcher per connection; exec channels when it cannot start. */
        DISPATCHER
    }

    /** What to do with a host whose key is not in known-hosts. A changed key is refused under every policy. */
    public enum HostKeyPolicy {
        /** Refuse it, like OpenSSH's {@code StrictHostKeyChecking=yes}. */
        STRICT,
        /** Trust it on first use and append it to known-hosts, like {@code StrictHostKeyChecking=accept-new}. */
        ACCEPT_NEW
    }

    /**
     * The {@code patrol.ssh} block of core's reference.conf, as settings: what a pool uses when the user wrote
     * nothing. Core's tests check that the two agree, so that tests and tools without core's reference.conf (plugin
     * tests, for one) run with the agent's real defaults.
     */
    public static SshSettings defaults() {
        return new SshSettings(
                null,
                null,
                null,
                null,
                Path.of("/etc/patrol/known_hosts"),
                HostKeyPolicy.STRICT,
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                Duration.ofMinutes(5),
                Duration.ofSeconds(30),
                10,
                64 * 1024,
                null,
                CommandChannel.EXEC);
    }

    /** {@link #defaults()} as a block, what {@link #from(Config)} falls back to. */
    private static final Config DEFAULT_BLOCK = defaultBlock();

    private static Config defaultBlock() {
        SshSettings defaults = defaults();
        Map<String, Object> block = new HashMap<>();
        for (String unset : List.of(
                "user",
                "identity-file",
                "identity-passphrase",
                "identity-passphrase-file",
                "password",
                "password-file",
                "proxy-jump")) {
            block.put(unset, null);
        }
        block.put("known-hosts", defaults.knownHosts().toString());
        block.put("host-key-policy", defaults.hostKeyPolicy().name().toLowerCase(Locale.ROOT));
        block.put("connect-timeout", defaults.connectTimeout().toMillis() + "ms");
        block.put("auth-timeout", defaults.authTimeout().toMillis() + "ms");
        block.put("idle-timeout", defaults.idleTimeout().toMillis() + "ms");
        block.put("session-idle-close", defaults.sessionIdleClose().toMillis() + "ms");
        block.put("heartbeat-interval", defaults.heartbeatInterval().toMillis() + "ms");
        block.put("max-channels", defaults.maxChannels());
        block.put("max-output", defaults.maxOutputBytes() + "B");
        block.put("command-channel", defaults.commandChannel().name().toLowerCase(Locale.ROOT));
        return ConfigFactory.parseMap(block, "SshSettings.defaults()");
    }

    /** The login user, defaulting to the agent's own user. */
    public String effectiveUser() {
        return user != null ? user : System.getProperty("user.name");
    }

    /**
     * Reads an {@code ssh} block; a key it leaves out takes its value from {@link #defaults()}. Files are not opened
     * here, except a password or passphrase file whose content is the value; see {@link #fileProblems(Config)} for
     * the checks {@code check-config} adds.
     *
     * @throws dev.patrol.api.InvalidSettingsException listing every problem found
     */
    public static SshSettings from(Config block) {
        SettingsReader reader = new SettingsReader(block.withFallback(DEFAULT_BLOCK));
        String user = reader.optionalString("user").orElse(null);
        Path identity = reader.optionalString("identity-file").map(Path::of).orElse(null);
        Secret passphrase = reader.secret("identity-passphrase");
        Secret password = reader.secret("password");
        String knownHosts = reader.string("known-hosts");
        HostKeyPolicy policy = reader.oneOf("host-key-policy", HostKeyPolicy.class);
        Duration connect = reader.positiveDuration("connect-timeout");
        Duration auth = reader.positiveDuration("auth-timeout");
        Duration idle = reader.positiveDuration("idle-timeout");
        Duration idleClose = reader.positiveDuration("session-idle-close");
        Duration heartbeat = reader.positiveDuration("heartbeat-interval");
        Integer maxChannels = reader.integer("max-channels", 1, 1000);
        Long maxOutput = reader.bytes("max-output");
        if (maxOutput != null && maxOutput > Integer.MAX_VALUE / 2) {
            reader.problem("max-output", "expected a size of at most 1GiB, got " + maxOutput + " bytes");
        }
        String proxyJump = reader.optionalString("proxy-jump").orElse(null);
        CommandChannel commandChannel = reader.oneOf("command-channel", CommandChannel.class);
        if (proxyJump != null
                && !proxyJump.isBlank()
                && ProxyJump.parse(proxyJump).isEmpty()) {
            reader.problem("proxy-jump", "expected [user@]host[:port], got '" + proxyJump + "'");
        }
        if (user != null && user.isBlank()) {
            reader.problem("user", "expected a user name, got an empty string");
        }
        reader.throwIfInvalid();
        return new SshSettings(
                user,
                identity,
                passphrase,
                password,
                Path.of(knownHosts),
                policy,
                connect,
                auth,
                idle,
                idleClose,
                heartbeat,
                maxChannels,
                maxOutput.intValue(),
                proxyJump == null || proxyJump.isBlank() ? null : proxyJump.trim(),
                commandChannel);
    }

    /**
     * What {@code check-config} reports beyond {@link #from(Config)}: a missing or unsafe identity file, a missing
     * known-hosts file under the strict policy. At run time the same problems fail the command with a clear message.
     */
    public static List<SettingsProblem> fileProblems(Config block) {
        SettingsReader reader = new SettingsReader(block.withFallback(DEFAULT_BLOCK));
        List<SettingsProblem> problems = new ArrayList<>();
        reader.optionalString("identity-file").ifPresent(identity -> IdentityFiles.problem(Path.of(identity))
                .ifPresent(message ->
                        problems.add(new SettingsProblem(reader.originOf("identity-file"), "identity-file", message))));
        Optional<String> knownHosts = reader.optionalString("known-hosts");
        boolean strict = reader.optionalString("host-key-policy")
                .map(policy -> policy.trim().equalsIgnoreCase("strict"))
                .orElse(true);
        if (knownHosts.isPresent() && strict && !Files.isReadable(Path.of(knownHosts.get()))) {
            problems.add(new SettingsProblem(
                    reader.originOf("known-hosts"),
                    "known-hosts",
                    "expected a readable known_hosts file, '" + knownHosts.get()
                            + "' is missing or unreadable (host-key-policy = strict refuses every host then)"));
        }
        problems.addAll(reader.problems());
        return problems;
    }

    /** The settings for reaching {@code jump} on the way: its own user if written, no further jump. */
    SshSettings forJump(ProxyJump jump) {
        return new SshSettings(
                jump.user() != null ? jump.user() : user,
                identityFile,
                identityPassphrase,
                password,
                knownHosts,
                hostKeyPolicy,
                connectTimeout,
                authTimeout,
                idleTimeout,
                sessionIdleClose,
                heartbeatInterval,
                maxChannels,
                maxOutputBytes,
                null,
                commandChannel);
    }

    /** Hides secrets, which {@link Secret#toString()} does already; states which ones are set. */
    @Override
    public String toString() {
        return "SshSettings[user=" + user + ", identityFile=" + identityFile + ", passphrase="
                + (identityPassphrase != null) + ", password=" + (password != null) + ", knownHosts=" + knownHosts
                + ", hostKeyPolicy=" + hostKeyPolicy + ", proxyJump=" + proxyJump + ", commandChannel=" + commandChannel
                + "]";
    }
}
