package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.testing.Closing;
import dev.patrol.testing.NginxServer;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import dev.patrol.testing.TestPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent stopped with {@code SIGSTOP} (as a debugger, a paused virtual machine or a suspended host stops it) while
 * commands run on a real sshd and slow pages download from a real nginx: both finish on time on the target, but the
 * agent sees their results only after their deadlines. Those runs must not be blamed on the targets: no timeout, no
 * state change; the stall is counted.
 */
class AgentStoppedIT {
    private static final int TARGETS = 6;
    /**
     * The checks' timeout: a command takes about 1 s, so a run in flight at the stop began at most that long before it
     * (a few seconds on a loaded machine) and still has more than half its timeout ahead: across the stop it is the
     * agent's, by the engine's rule, and never a timeout.
     */
    private static final int TIMEOUT_SECONDS = 8;
    /** Longer than the timeout, so that every run in flight at the stop has passed its deadline. */
    private static final Duration STOPPED = Duration.ofSeconds(TIMEOUT_SECONDS + 4);
    /** The checks, SSH and HTTP: each takes about a second on the target, every 2 s. */
    private static final List<String> CHECKS = List.of("slow", "slow-web");

    @Test
    void runsInFlightWhileTheAgentWasStoppedAreNotBlamedOnTheirTargets(@TempDir Path dir) throws Exception {
        OpenSshServer sshd = OpenSshServer.create(dir.resolve("sshd"))
                .maxSessions(TARGETS * 2)
                .start();
        // 1.5 KB at 1 KB/s: nginx answers at once and sends the rest about a second later.
        NginxServer nginx = NginxServer.create(dir.resolve("nginx"))
                .file("slow/page", "x".repeat(1500))
                .location("/slow/", "limit_rate 1k;")
                .start();
        Process agent = null;
        try {
            Path knownHosts = SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of(sshd.knownHostsLine(false)));
            Path started = Files.createDirectories(dir.resolve("started"));
            int port = TestPorts.free();
            StringBuilder targets = new StringBuilder();
            for (int i = 0; i < TARGETS; i++) {
                targets.append("    t")
                        .append(i)
                        .append(" { host = \"")
                        .append(sshd.host())
                        .append("\", port = ")
                        .append(sshd.port())
                        .append(" }\n");
            }
            Path config = dir.resolve("patrol.conf");
            Files.writeString(
                    config,
                    "patrol {\n  web.listen = \"127.0.0.1:" + port + "\"\n  state-dir = \"" + dir.resolve("state")
                            + "\"\n  ssh {\n    user = \"" + sshd.user() + "\"\n    identity-file = \""
                            + sshd.clientKey() + "\"\n    known-hosts = \"" + knownHosts + "\"\n  }\n"
                            + "  targets {\n" + targets + "  }\n"
                            + "  checks {\n    slow { type = ssh-command, targets = \"*\", interval = 2s,"
                            + " timeout = " + TIMEOUT_SECONDS + "s,\n"
                            + "      command = \"touch " + started + "/$$; sleep 1; echo OK\" }\n"
                            + "    slow-web { type = http, targets = \"*\", interval = 2s, timeout = " + TIMEOUT_SECONDS
                            + "s,\n      url = \"" + nginx.url("/slow/page") + "\" }\n  }\n}\n");
            agent = new ProcessBuilder(LauncherIT.LAUNCHER.toString(), "run", "--config", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("agent.log").toFile())
                    .start();
            int agentPort = port;
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() ->
                            CHECKS.stream().allMatch(check -> runs(agentPort, check, "result=\"ok\"") >= 2 * TARGETS));

            // Stop the agent while at least one command is running on the target (it has just started).
            long commands = count(started);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> count(started) > commands);
            signal("STOP", agent.pid());
            try {
                Thread.sleep(STOPPED.toMillis()); // the fault's own length, not a wait for a condition
            } finally {
                signal("CONT", agent.pid());
            }
            double sshAtResume = runs(agentPort, "slow", "");
            double httpAtResume = runs(agentPort, "slow-web", "");
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> runs(agentPort, "slow", "") >= sshAtResume + 2 * TARGETS
                            && runs(agentPort, "slow-web", "") >= httpAtResume + 2 * TARGETS);

            String exposition = Scrape.metrics(port);
            String log = Files.readString(dir.resolve("agent.log"));
            for (String check : CHECKS) {
                String label = "check=\"" + check + "\"";
                assertThat(Scrape.sum(exposition, "patrol_check_runs_total", label))
                        .as("every run of %s recorded was OK; the log:%n%s", check, log)
                        .isEqualTo(Scrape.sum(exposition, "patrol_check_runs_total", label, "result=\"ok\""));
            }
            assertThat(log).doesNotContain("Check changed state");
            assertThat(Scrape.sum(exposition, "patrol_agent_stalled_seconds_total"))
                    .as("the stop, measured")
                    .isGreaterThanOrEqualTo(STOPPED.toSeconds() - 2);
        } finally {
            if (agent != null) {
                signal("CONT", agent.pid());
                agent.destroy();
                assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            Closing.closeAll(sshd, nginx);
        }
    }

    /** Finished runs of {@code check}, all results or those with {@code label}. */
    private static double runs(int port, String check, String label) {
        try {
            String exposition = Scrape.metrics(port);
            String name = "check=\"" + check + "\"";
            return label.isEmpty()
                    ? Scrape.sum(exposition, "patrol_check_runs_total", name)
                    : Scrape.sum(exposition, "patrol_check_runs_total", name, label);
        } catch (IOException e) {
            return -1; // not up yet; the caller polls again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static long count(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        }
    }

    private static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid))
                .inheritIO()
                .start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
}
