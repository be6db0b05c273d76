package dev.patrol.e2e;

import dev.patrol.testing.BlackHoleServer;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A fleet of SSH targets on loopback for end-to-end tests: a few real OpenSSH servers that every good target name is
 * spread over (round robin), and black holes, each on its own port so that each holds a connection of its own in the
 * agent's pool (the pool keys connections by host and port). One client key logs in to every server.
 *
 * <p>Not thread-safe. {@link #close()} stops every server and black hole.
 */
final class SshFleet implements AutoCloseable {
    static final String GOOD_PREFIX = "good-";
    static final String HOLE_PREFIX = "hole-";

    private final List<OpenSshServer> servers = new ArrayList<>();
    private final List<BlackHoleServer> holes = new ArrayList<>();
    private final Path knownHosts;

    private SshFleet(Path dir) {
        this.knownHosts = dir.resolve("known_hosts");
    }

    /** Starts {@code serverCount} sshd instances allowing {@code maxSessions} channels each, and {@code holeCount} holes. */
    static SshFleet start(Path dir, int serverCount, int maxSessions, int holeCount) {
        SshFleet fleet = new SshFleet(dir);
        try {
            for (int i = 0; i < serverCount; i++) {
                OpenSshServer server =
                        OpenSshServer.create(dir.resolve("sshd-" + i)).maxSessions(maxSessions);
                fleet.servers.add(server);
                if (i > 0) {
                    server.authorize(fleet.servers.get(0).clientKey());
                }
                server.start();
            }
            for (int i = 0; i < holeCount; i++) {
                fleet.holes.add(BlackHoleServer.start());
            }
            SshKeys.writeKnownHosts(
                    fleet.knownHosts,
                    fleet.servers.stream().map(s -> s.knownHostsLine(false)).toList());
            return fleet;
        } catch (RuntimeException | Error e) {
            fleet.close();
            throw e;
        }
    }

    static String goodName(int i) {
        return String.format("%s%04d", GOOD_PREFIX, i);
    }

    static String holeName(int i) {
        return String.format("%s%03d", HOLE_PREFIX, i);
    }

    int holeCount() {
        return holes.size();
    }

    /** Connections the black holes accepted so far, all together. */
    int holeConnections() {
        return holes.stream().mapToInt(BlackHoleServer::acceptedCount).sum();
    }

    /**
     * Writes an agent config with {@code goodCount} targets on the servers ({@code role = "good"}) and one target per
     * black hole ({@code role = "hole"}). The check {@code fleet} runs {@code command} on the good targets every
     * {@code interval} with a 5 s deadline; the check {@code holes} runs it on the holes with a 2 s deadline, shorter
     * than the pool's login timeout, so a hole's run always ends at its own deadline.
     */
    Path writeConfig(Path file, Path stateDir, int goodCount, String command, Duration interval) throws IOException {
        StringBuilder targets = new StringBuilder();
        for (int i = 0; i < goodCount; i++) {
            OpenSshServer server = servers.get(i % servers.size());
            target(targets, goodName(i), server.port(), "good");
        }
        for (int i = 0; i < holes.size(); i++) {
            target(targets, holeName(i), holes.get(i).port(), "hole");
        }
        OpenSshServer first = servers.get(0);
        String config = "patrol {\n"
                + "  web.listen = \"127.0.0.1:0\"\n"
                + "  state-dir = \"" + stateDir + "\"\n"
                // Every target is 127.0.0.1 here, standing for many hosts: lift the per-host cap.
                + "  limits { max-in-flight-per-host = 10000 }\n"
                + "  ssh {\n"
                + "    user = \"" + first.user() + "\"\n"
                + "    identity-file = \"" + first.clientKey() + "\"\n"
                + "    known-hosts = \"" + knownHosts + "\"\n"
                + "  }\n"
                + "  targets {\n" + targets + "  }\n"
                + "  checks {\n"
                + "    fleet { type = ssh-command, targets = { role = \"good\" }, command = \"" + command + "\","
                + " interval = " + interval.toSeconds() + "s, timeout = 5s }\n"
                + "    holes { type = ssh-command, targets = { role = \"hole\" }, command = \"" + command + "\","
                + " interval = " + interval.toSeconds() + "s, timeout = 2s }\n"
                + "  }\n"
                + "}\n";
        Files.writeString(file, config, StandardCharsets.UTF_8);
        return file;
    }

    private static void target(StringBuilder targets, String name, int port, String role) {
        targets.append("    ")
                .append(name)
                .append(" { host = \"127.0.0.1\", port = ")
                .append(port)
                .append(", labels { role = \"")
                .append(role)
                .append("\" } }\n");
    }

    @Override
    public void close() {
        holes.forEach(BlackHoleServer::close);
        servers.forEach(OpenSshServer::close);
    }
}
