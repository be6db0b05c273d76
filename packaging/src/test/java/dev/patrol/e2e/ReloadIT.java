package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.core.Agent;
import dev.patrol.core.config.ConfigLoader;
import dev.patrol.core.demo.DemoTargets;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reload through {@code POST /-/reload}: a bad file is rejected and the running config keeps going; a good one applies. */
class ReloadIT {

    private static String config(Path dir, DemoTargets target, String checks) {
        return "patrol {\n"
                + "  web.listen = \"127.0.0.1:0\"\n"
                + "  state-dir = \"" + dir + "\"\n"
                + "  defaults { interval = 1s, timeout = 1s }\n"
                + "  checks {\n" + checks.replace("URL", "http://" + target.address() + "/health") + "  }\n"
                + "}\n";
    }

    @Test
    void badConfigIsRejectedAndGoodConfigIsApplied(@TempDir Path dir) throws Exception {
        try (DemoTargets target = DemoTargets.start()) {
            Path file = dir.resolve("patrol.conf");
            Files.writeString(
                    file,
                    config(
                            dir,
                            target,
                            "    a { type = http, url = \"URL\" }\n    b { type = http, url = \"URL\" }\n"));
            try (Agent agent = Agent.start(() -> ConfigLoader.discovering().load(file))) {
                int port = agent.port();
                String a = "patrol_check_runs_total{check=\"a\",target=\"" + target.address() + "\",result=\"ok\",}";
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> Scrape.value(Scrape.metrics(port), a).orElse(0) >= 2);

                Files.writeString(
                        file,
                        config(
                                dir,
                                target,
                                "    a { type = http, url = \"URL\", intreval = 5s }\n"
                                        + "    b { type = http, url = \"URL\", timeout = soon }\n"),
                        StandardCharsets.UTF_8);
                HttpResponse<String> rejected = Scrape.post(port, "/-/reload");
                assertThat(rejected.statusCode()).isEqualTo(500);
                assertThat(rejected.body())
                        .contains(file + ":")
                        .contains("patrol.checks.a.intreval")
                        .contains("patrol.checks.b.timeout");
                String afterBad = Scrape.metrics(port);
                assertThat(Scrape.value(afterBad, "patrol_config_last_reload_successful "))
                        .hasValue(0);
                double runsAtRejection = Scrape.value(afterBad, a).orElseThrow();
                // The old configuration keeps running.
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> Scrape.value(Scrape.metrics(port), a).orElse(0) >= runsAtRejection + 2);

                Files.writeString(
                        file,
                        config(
                                dir,
                                target,
                                "    a { type = http, url = \"URL\" }\n    c { type = http, url = \"URL\" }\n"),
                        StandardCharsets.UTF_8);
                HttpResponse<String> accepted = Scrape.post(port, "/-/reload");
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
                String afterGood = Scrape.metrics(port);
                assertThat(Scrape.value(afterGood, "patrol_config_last_reload_successful "))
                        .hasValue(1);
                assertThat(afterGood).doesNotContain("check=\"b\"");
                assertThat(afterGood).contains("patrol_check_runs_total{check=\"c\"");
                // The unchanged check kept its state (its counter was not reset by the reload).
                assertThat(Scrape.value(afterGood, a).orElseThrow()).isGreaterThanOrEqualTo(runsAtRejection + 2);
            }
        }
    }
}
