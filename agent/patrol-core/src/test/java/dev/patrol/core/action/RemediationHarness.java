package dev.patrol.core.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import dev.patrol.core.Agent;
import dev.patrol.core.config.ConfigLoader;
import dev.patrol.core.plugin.PluginRegistry;
import dev.patrol.core.state.PairState;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One agent with the test "flag" check against targets that are all the same real OpenSSH server, and actions
 * whose commands run there over SSH. Config text is the test's; this adds the SSH block, web and state-dir.
 */
final class RemediationHarness implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(60);

    final Path dir;
    final OpenSshServer sshd;
    final Path knownHosts;
    final Path config;
    final FlagPlugin plugin = new FlagPlugin();
    Agent agent;

    RemediationHarness(Path dir, OpenSshServer sshd) {
        this.dir = dir;
        this.sshd = sshd;
        this.knownHosts = SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of(sshd.knownHostsLine(false)));
        this.config = dir.resolve("patrol.conf");
    }

    /** A target block named {@code name} on the sshd, with its flag file and extra labels. */
    String target(String name, String extraLabels) {
        return name + " { host = \"" + sshd.host() + "\", port = " + sshd.port() + ", labels { flag = \"" + flag(name)
                + "\"" + extraLabels + " } }\n";
    }

    Path flag(String target) {
        return dir.resolve(target + ".flag");
    }

    Path marker() {
        return dir.resolve("marker");
    }

    void set(String target, String status) {
        write(flag(target), status);
    }

    /** Writes the config: {@code body} is the inside of {@code patrol { ... }} (targets, checks, actions). */
    RemediationHarness configure(String body) {
        write(
                config,
                "patrol {\n  web.listen = \"127.0.0.1:0\"\n  state-dir = \"" + dir.resolve("state") + "\"\n"
                        + "  ssh { user = \"" + sshd.user() + "\", identity-file = \"" + sshd.clientKey()
                        + "\", known-hosts = \"" + knownHosts + "\" }\n" + body + "\n}\n");
        return this;
    }

    RemediationHarness start() {
        ConfigLoader loader = ConfigLoader.with(new PluginRegistry(List.of(plugin)));
        agent = Agent.start(() -> loader.load(config));
        return this;
    }

    void restart() {
        agent.close();
        start();
    }

    Optional<PairState> state(String check, String target) {
        return agent.store().get(new SeriesKey(check, target)).flatMap(series -> series.hardSoft());
    }

    /** Waits until the pair's last hard status is {@code status} (the next hard change has been handled). */
    void awaitHard(String check, String target, dev.patrol.api.Status status) {
        await().atMost(WAIT).until(() -> state(check, target)
                .filter(s -> s.type() == dev.patrol.core.state.StateType.HARD && s.hardStatus() == status)
                .isPresent());
        awaitIdle();
    }

    /** Waits for {@code runs} more recorded runs of the pair, so that anything they would trigger has happened. */
    void awaitRuns(String check, String target, int runs) {
        long start = totalRuns(check, target);
        await().atMost(WAIT).until(() -> totalRuns(check, target) >= start + runs);
        awaitIdle();
    }

    private long totalRuns(String check, String target) {
        return agent.store()
                .get(new SeriesKey(check, target))
                .map(series -> java.util.Arrays.stream(dev.patrol.core.state.Outcome.values())
                        .mapToLong(series::runs)
                        .sum())
                .orElse(0L);
    }

    void awaitIdle() {
        await().atMost(WAIT).until(() -> agent.remediation().guard().running() == 0);
    }

    List<String> markerLines() {
        try {
            return Files.exists(marker()) ? Files.readAllLines(marker()) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every audit entry, each line parsed by a strict JSON parser; a line that is not JSON fails the test. */
    List<Config> audit() {
        Path log = dir.resolve("state").resolve("audit.log");
        List<Config> entries = new ArrayList<>();
        try {
            if (!Files.exists(log)) {
                return entries;
            }
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                assertThat(line).startsWith("{").endsWith("}");
                entries.add(ConfigFactory.parseString(
                        line, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    long audited(String event) {
        return audit().stream()
                .filter(entry -> entry.getString("event").equals(event))
                .count();
    }

    ActionMetrics metrics() {
        return agent.remediation().metrics();
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (agent != null) {
            agent.close();
        }
    }
}
