package dev.patrol.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import dev.patrol.core.audit.AuditReader;
import dev.patrol.core.config.TestPlugins;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs on a running agent against a real sshd: {@code POST /-/jobs/<name>/run} starts one (202), refuses a second
 * while the first runs (409) and an unknown name (404); every step lands in {@code <state-dir>/audit.log}.
 */
class AgentJobsIT {
    @TempDir
    static Path dir;

    static OpenSshServer sshd;
    static Agent agent;
    static Path stateDir;
    static Path release;
    static final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        sshd = OpenSshServer.create(dir.resolve("sshd")).start();
        Path knownHosts = SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of(sshd.knownHostsLine(false)));
        Path remote = Files.createDirectories(dir.resolve("remote"));
        Files.writeString(remote.resolve("db.sql"), "the dump\n");
        stateDir = dir.resolve("state");
        release = dir.resolve("release");
        Path config = dir.resolve("patrol.conf");
        Files.writeString(
                config,
                """
                patrol {
                  web.listen = "127.0.0.1:0"
                  state-dir = "%s"
                  ssh { user = "%s", identity-file = "%s", known-hosts = "%s" }
                  targets { db-1 { host = "%s", port = %d } }
                  jobs {
                    dump { type = fetch, targets = "*", paths = ["%s/*.sql"] }
                    hold { type = command, targets = "*", timeout = 2m,
                           command = "i=0; while [ ! -e '%s' ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done" }
                  }
                }
                """
                        .formatted(
                                stateDir,
                                sshd.user(),
                                sshd.clientKey(),
                                knownHosts,
                                sshd.host(),
                                sshd.port(),
                                remote,
                                release));
        agent = Agent.start(TestPlugins.source(config));
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    @Test
    void aPostStartsTheJobAndItsStepsAreAudited() throws Exception {
        HttpResponse<String> response = post("/-/jobs/dump/run");

        assertThat(response.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> finished("dump") != null);
        Config done = finished("dump");
        assertThat(done.getString("result")).isEqualTo("ok");
        assertThat(done.getString("target")).isEqualTo("db-1");
        assertThat(done.getString("type")).isEqualTo("fetch");
        assertThat(done.getInt("files")).isEqualTo(1);
        assertThat(Path.of(done.getString("directory")).resolve("db.sql")).hasContent("the dump");
        assertThat(entries("dump"))
                .extracting(entry -> entry.getString("event"))
                .containsExactly("started", "finished");
        assertThat(agent.registry()
                        .getSampleValue(
                                "patrol_job_runs_total",
                                new String[] {"job", "target", "result"},
                                new String[] {"dump", "db-1", "ok"}))
                .isEqualTo(1.0);
    }

    @Test
    void aSecondPostWhileTheJobRunsIs409AndAnUnknownJob404() throws Exception {
        assertThat(post("/-/jobs/hold/run").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> !entries("hold").isEmpty());

        HttpResponse<String> again = post("/-/jobs/hold/run");
        HttpResponse<String> unknown = post("/-/jobs/nightly/run");
        Files.writeString(release, "go\n");

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(unknown.statusCode()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(60)).until(() -> finished("hold") != null);
        assertThat(finished("hold").getString("result")).isEqualTo("ok");
        assertThat(entries("hold")).hasSize(2);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> post("/-/jobs/hold/run").statusCode() == 202);
    }

    private static HttpResponse<String> post(String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + path))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<Config> entries(String job) throws Exception {
        return AuditReader.read(stateDir, Instant.EPOCH).stream()
                .filter(entry -> entry.hasPath("job") && entry.getString("job").equals(job))
                .toList();
    }

    private static Config finished(String job) throws Exception {
        return entries(job).stream()
                .filter(entry -> entry.getString("event").equals("finished"))
                .findFirst()
                .orElse(null);
    }
}
