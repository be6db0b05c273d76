package dev.patrol.core.action;

import static dev.patrol.api.Status.CRITICAL;
import static dev.patrol.api.Status.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import dev.patrol.testing.Closing;
import dev.patrol.testing.OpenSshServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Actions fired by a real agent, run over SSH on a real OpenSSH server; a marker file there counts the runs. */
class RemediationIT {
    static OpenSshServer sshd;

    @TempDir
    static Path sshdDir;

    @TempDir
    Path dir;

    RemediationHarness patrol;

    @BeforeAll
    static void startSshd() {
        sshd = OpenSshServer.create(sshdDir.resolve("sshd")).start();
    }

    @AfterAll
    static void stopSshd() throws Exception {
        Closing.closeAll(sshd);
    }

    @AfterEach
    void stop() {
        patrol.close();
    }

    /** One target, one check, one action appending {@code {target}} to the marker; {@code more} goes in the action. */
    private RemediationHarness single(String checkKeys, String actionKeys, String labels) {
        patrol = new RemediationHarness(dir, sshd);
        patrol.set("web-1", "ok");
        return patrol.configure("targets {\n" + patrol.target("web-1", labels) + "}\n"
                + "checks { up { type = flag, targets = \"*\", interval = 1s, " + checkKeys + " } }\n"
                + "actions { fix { on { check = up, status = [critical] }, run = \"printf '%s\\\\n' {target} >> "
                + patrol.marker() + "\", " + actionKeys + " } }\n"
                + "action-limits { kill-switch-file = \"" + dir.resolve("actions.disabled") + "\" }\n");
    }

    private String statusPage() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + patrol.agent.port() + "/"))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        return page.body();
    }

    private void assertAuditMatchesMarker() {
        assertThat(patrol.audited("run")).isEqualTo(patrol.markerLines().size());
    }

    @Test
    void hardAfterMaxAttemptsFiresExactlyOnceAndNotAgainWithinTheCooldown() throws Exception {
        single("max-attempts = 3", "cooldown = 10m, max-per-hour = 10", "").start();
        patrol.awaitHard("up", "web-1", OK);

        patrol.set("web-1", "critical");
        patrol.awaitHard("up", "web-1", CRITICAL);
        patrol.awaitRuns("up", "web-1", 3);

        assertThat(patrol.markerLines()).containsExactly("web-1");
        assertThat(patrol.metrics().runs("fix", "web-1", RunResult.SUCCESS)).isEqualTo(1);
        assertThat(patrol.metrics().suppressed("fix", "web-1", Suppression.SOFT_STATE))
                .isEqualTo(2);
        Config run = patrol.audit().stream()
                .filter(entry -> entry.getString("event").equals("run"))
                .findFirst()
                .orElseThrow();
        assertThat(run.getString("result")).isEqualTo("success");
        assertThat(run.getInt("exit_status")).isZero();
        assertThat(run.getString("state")).isEqualTo("hard");
        assertThat(statusPage()).contains("hard 3/3", "action fix: success at ");

        patrol.set("web-1", "ok");
        patrol.awaitHard("up", "web-1", OK);
        patrol.set("web-1", "critical");
        patrol.awaitHard("up", "web-1", CRITICAL);

        assertThat(patrol.markerLines()).containsExactly("web-1");
        assertThat(patrol.metrics().suppressed("fix", "web-1", Suppression.COOLDOWN))
                .isEqualTo(1);
        assertAuditMatchesMarker();
    }

    @Test
    void dryRunLeavesNoMarker() {
        single("max-attempts = 1", "dry-run = true", "").start();
        patrol.awaitHard("up", "web-1", OK);

        patrol.set("web-1", "critical");
        patrol.awaitHard("up", "web-1", CRITICAL);

        assertThat(patrol.markerLines()).isEmpty();
        assertThat(patrol.metrics().runs("fix", "web-1", RunResult.DRY_RUN)).isEqualTo(1);
        assertThat(patrol.audited("dry_run")).isEqualTo(1);
        assertAuditMatchesMarker();
    }

    @Test
    void theKillSwitchStopsEverythingWithinOneRun() throws Exception {
        single("max-attempts = 1", "cooldown = 0s, max-per-hour = 100", "").start();
        patrol.awaitHard("up", "web-1", OK);
        Path kill = dir.resolve("actions.disabled");
        Files.writeString(kill, "");

        patrol.set("web-1", "critical");
        patrol.awaitHard("up", "web-1", CRITICAL);

        assertThat(patrol.markerLines()).isEmpty();
        assertThat(patrol.metrics().suppressed("fix", "web-1", Suppression.KILL_SWITCH))
                .isEqualTo(1);

        Files.delete(kill);
        patrol.set("web-1", "ok");
        patrol.awaitHard("up", "web-1", OK);
        patrol.set("web-1", "critical");
        patrol.awaitHard("up", "web-1", CRITICAL);

        assertThat(patrol.markerLines()).containsExactly("web-1");
        assertAuditMatchesMarker();
    }

    @Test
    void aFlappingPairTriggersNothing() {
        single("max-attempts = 1", "cooldown = 0s, max-per-hour = 1000", "").start();
        patrol.awaitHard("up", "web-1", OK);

        patrol.set("web-1", "alternate");
        await().atMost(RemediationHarness.WAIT)
                .until(() -> patrol.state("up", "web-1").map(s -> s.flapping()).orElse(false));
        patrol.awaitIdle();
        int before = patrol.markerLines().size();
        long suppressedBefore = patrol.metrics().suppressed("fix", "web-1", Suppression.FLAPPING);
        patrol.awaitRuns("up", "web-1", 6);

        assertThat(patrol.state("up", "web-1").orElseThrow().flapping()).isTrue();
        assertThat(patrol.markerLines()).hasSize(before);
        assertThat(patrol.metrics().suppressed("fix", "web-1", Suppression.FLAPPING))
                .isGreaterThanOrEqualTo(suppressedBefore + 2);
        assertAuditMatchesMarker();
    }

    @Test
    void templateValuesNeverReachTheShellUnquoted() {
        Path owned = dir.resolve("owned");
        String evil = "nginx; touch " + owned + "-1 $(touch " + owned + "-2) `touch " + owned + "-3`";
        patrol = new RemediationHarness(dir, sshd);
        patrol.set("web-1", "ok");
        patrol.configure("targets {\n" + patrol.target("web-1", ", service = \"" + evil + "\"") + "}\n"
                        + "checks { up { type = flag, targets = \"*\", interval = 1s } }\n"
                        + "actions { fix { on { check = up }, run = \"printf '%s\\\\n' {label.service} >> "
                        + patrol.marker() + "\" } }\n")
                .start();
        patrol.awaitHard("up", "web-1", OK);

        patrol.set("web-1", "critical");
        patrol.awaitHard("up", "web-1", CRITICAL);

        assertThat(patrol.markerLines()).containsExactly(evil);
        assertThat(List.of(owned + "-1", owned + "-2", owned + "-3"))
                .allSatisfy(path -> assertThat(Path.of(path)).doesNotExist());
        assertAuditMatchesMarker();
    }
}
