package dev.patrol.core.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.core.tls.TlsSettings.ClientAuth;
import dev.patrol.testing.TestPeers;
import dev.patrol.testing.TestPorts;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Prometheus scrapes the agent over HTTPS with basic auth, as an operator would set it up. */
class PrometheusScrapeIT {
    @TempDir
    Path dir;

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void prometheusScrapesTheSecuredEndpoint() throws Exception {
        Path prometheus = TestPeers.require("/usr/bin/prometheus");
        TlsServers tls = new TlsServers(dir);
        Path passwordFile = Files.writeString(dir.resolve("password"), "scrape-me\n");
        try (WebServer server = TlsServers.start(
                tls.settings(null, ClientAuth.NONE, Map.of("prometheus", BasicAuthTest.hash("scrape-me"))))) {
            int port = TestPorts.free();
            Path config = Files.writeString(
                    dir.resolve("prometheus.yml"),
                    String.join(
                            "\n",
                            "global:",
                            "  scrape_interval: 1s",
                            "  scrape_timeout: 1s",
                            "scrape_configs:",
                            "  - job_name: patrol",
                            "    scheme: https",
                            "    tls_config:",
                            "      ca_file: " + tls.certs.caFile(),
                            "    basic_auth:",
                            "      username: prometheus",
                            "      password_file: " + passwordFile,
                            "    static_configs:",
                            "      - targets: ['127.0.0.1:" + server.port() + "']",
                            ""));
            Process process = new ProcessBuilder(
                            prometheus.toString(),
                            "--config.file=" + config,
                            "--web.listen-address=127.0.0.1:" + port,
                            "--storage.tsdb.path=" + dir.resolve("data"),
                            "--log.level=warn")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            try {
                String query = "http://127.0.0.1:" + port + "/api/v1/query?query="
                        + URLEncoder.encode("up{job=\"patrol\"}", StandardCharsets.UTF_8);
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> {
                            assertThat(process.isAlive())
                                    .as("prometheus is running: %s", log())
                                    .isTrue();
                            assertThat(get(query)).contains("\"value\":[").contains(",\"1\"]");
                        });
            } finally {
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    private String log() throws IOException {
        Path log = dir.resolve("prometheus.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private String get(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5))
                    .build();
            return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "not answering: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
