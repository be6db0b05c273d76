package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.core.Agent;
import dev.patrol.core.config.ConfigLoader;
import dev.patrol.core.demo.DemoTargets;
import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.state.SeriesState;
import dev.patrol.testing.BlackHoleServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One failing target never delays another: twenty black-holed targets (they accept TCP and never answer) with a 2 s
 * timeout run beside a healthy check on a 1 s interval, whose run count must keep pace with the clock.
 */
class BlackHoleIT {
    private static final int BLACK_HOLES = 20;
    private static final Duration WINDOW = Duration.ofSeconds(12);

    @Test
    void blackHoledTargetsDoNotDelayAHealthyCheck(@TempDir Path dir) throws Exception {
        try (DemoTargets healthy = DemoTargets.start();
                BlackHoleServer hole = BlackHoleServer.start()) {
            StringBuilder targets = new StringBuilder();
            for (int i = 0; i < BLACK_HOLES; i++) {
                targets.append("    hole-")
                        .append(i)
                        .append(" { host = \"127.0.0.1\", port = ")
                        .append(hole.port())
                        .append(", labels { role = hole } }\n");
            }
            Path config = dir.resolve("patrol.conf");
            Files.writeString(
                    config,
                    "patrol {\n"
                            + "  web.listen = \"127.0.0.1:0\"\n"
                            + "  state-dir = \"" + dir + "\"\n"
                            + "  targets {\n" + targets + "  }\n"
                            + "  checks {\n"
                            + "    healthy { type = http, url = \"http://" + healthy.address() + "/health\","
                            + " interval = 1s, timeout = 1s }\n"
                            + "    black-holed { type = http, url = \"http://{host}:{port}/\", targets = { role = hole },"
                            + " interval = 1s, timeout = 2s }\n"
                            + "  }\n"
                            + "}\n",
                    StandardCharsets.UTF_8);
            try (Agent agent = Agent.start(() -> ConfigLoader.discovering().load(config))) {
                SeriesState state = agent.store()
                        .get(new SeriesKey("healthy", healthy.address()))
                        .orElseThrow();
                // Let every pair fire at least once, so the black holes are holding connections.
                await().atMost(Duration.ofSeconds(10)).until(() -> state.runs(Outcome.OK) >= 2);
                long before = state.runs(Outcome.OK);
                long start = System.nanoTime();
                Thread.sleep(WINDOW.toMillis());
                double seconds = (System.nanoTime() - start) / 1e9;
                long runs = state.runs(Outcome.OK) - before;

                System.out.printf("healthy runs in %.1f s beside %d black holes: %d%n", seconds, BLACK_HOLES, runs);
                // One run a second; allow one missed fire at each edge of the window.
                assertThat(runs).isGreaterThanOrEqualTo((long) Math.floor(seconds) - 2);
                long timeouts = agent.store().all().stream()
                        .filter(series -> series.key().check().equals("black-holed"))
                        .mapToLong(series -> series.runs(Outcome.TIMEOUT))
                        .sum();
                assertThat(timeouts).isGreaterThanOrEqualTo(BLACK_HOLES);
                assertThat(hole.acceptedCount()).isGreaterThanOrEqualTo(BLACK_HOLES);
            }
        }
    }
}
