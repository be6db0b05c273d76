package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.testing.Closing;
import dev.patrol.testing.NginxServer;
import dev.patrol.testing.TestPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short HTTP keep-alive that plugins/http/README.md offers for fleets short of memory, through the shipped
 * launcher and seen from two real nginx servers: with {@code -Djdk.httpclient.keepalive.timeout=3} in
 * {@code PATROL_JAVA_OPTS}, a check that runs less often than that connects anew on every run (no idle connection is
 * held between runs), and one that runs every second keeps its connection.
 */
class HttpKeepAliveIT {
    @Test
    void withAShortKeepAliveRareChecksConnectEachRunAndFrequentOnesReuseTheirConnection(@TempDir Path dir)
            throws Exception {
        NginxServer rare = NginxServer.create(dir.resolve("rare"))
                .file("health", "ok\n")
                .serverDirective("keepalive_timeout 1h;")
                .start();
        NginxServer frequent = NginxServer.create(dir.resolve("frequent"))
                .file("health", "ok\n")
                .serverDirective("keepalive_timeout 1h;")
                .start();
        Process agent = null;
        try {
            int port = TestPorts.free();
            Path config = dir.resolve("patrol.conf");
            Files.writeString(
                    config,
                    "patrol {\n  web.listen = \"127.0.0.1:" + port + "\"\n  state-dir = \"" + dir + "\"\n"
                            + "  checks {\n"
                            + "    rare { type = http, url = \"" + rare.url("/health") + "\", interval = 8s }\n"
                            + "    frequent { type = http, url = \"" + frequent.url("/health") + "\", interval = 1s }\n"
                            + "  }\n}\n");
            ProcessBuilder launch =
                    new ProcessBuilder(LauncherIT.LAUNCHER.toString(), "run", "--config", config.toString());
            launch.environment().put("PATROL_JAVA_OPTS", "-Djdk.httpclient.keepalive.timeout=3");
            agent = launch.redirectErrorStream(true)
                    .redirectOutput(dir.resolve("agent.log").toFile())
                    .start();
            // Three runs of the rare check: two gaps of 8 s, each far longer than the 3 s keep-alive.
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> runs(port, "rare") >= 3);

            double rareRuns = runs(port, "rare");
            double frequentRuns = runs(port, "frequent");
            // Read after the runs: a run in progress may already have connected, never the other way round.
            long rareConnections = rare.acceptedConnections();
            long frequentConnections = frequent.acceptedConnections();
            assertThat(rareConnections)
                    .as("connections for %s runs every 8 s", rareRuns)
                    .isGreaterThanOrEqualTo((long) rareRuns);
            assertThat(frequentRuns).isGreaterThanOrEqualTo(10);
            // Every second is well inside the keep-alive; a late fire on a busy machine may still reconnect.
            assertThat((double) frequentConnections)
                    .as("connections for %s runs every second", frequentRuns)
                    .isLessThan(frequentRuns / 2);
        } finally {
            if (agent != null) {
                agent.destroy();
                assertThat(agent.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }
            Closing.closeAll(rare, frequent);
        }
    }

    /** Finished runs of {@code check}, whatever their result. */
    private static double runs(int port, String check) throws Exception {
        return Scrape.sum(Scrape.metrics(port), "patrol_check_runs_total", "check=\"" + check + "\"");
    }
}
