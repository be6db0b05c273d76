package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import dev.patrol.core.action.RunResult;
import dev.patrol.core.audit.AuditReader;
import dev.patrol.core.state.SeriesKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's remediation end to end: its worker crashes 45 s after start, goes soft then hard CRITICAL, and the
 * restart-worker action restarts it over SSH; the re-check and the next runs are OK again, and the audit says so.
 */
class DemoRemediationIT {
    private static RunningDemo demo;

    @BeforeAll
    static void startDemo() throws Exception {
        demo = RunningDemo.start();
    }

    @AfterAll
    static void stopDemo() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void theCrashedWorkerIsRestartedByItsAction() {
        await().atMost(Duration.ofSeconds(150))
                .until(() ->
                        demo.agent().remediation().metrics().runs("restart-worker", "demo-host-1", RunResult.SUCCESS)
                                >= 1);

        List<Config> audit = read();
        Config run = audit.stream()
                .filter(entry -> entry.getString("event").equals("run") && entry.hasPath("action"))
                .findFirst()
                .orElseThrow();
        assertThat(run.getString("action")).isEqualTo("restart-worker");
        assertThat(run.getString("command")).isEqualTo("restart_worker");
        assertThat(run.getString("output")).contains("worker restarted");
        assertThat(run.getString("recheck")).isEqualTo("ok");
        assertThat(demo.agent()
                        .store()
                        .get(new SeriesKey("worker", "demo-host-1"))
                        .orElseThrow()
                        .hardSoft()
                        .orElseThrow()
                        .hardStatus()
                        .label())
                .isEqualTo("ok");
        // It went soft before it went hard: the soft result was audited as a suppression, not acted on. (The demo's
        // backup job writes to the same audit log; only the action's lines count here.)
        Config first = audit.stream()
                .filter(entry ->
                        entry.hasPath("action") && entry.getString("action").equals("restart-worker"))
                .findFirst()
                .orElseThrow();
        assertThat(first.getString("reason")).isEqualTo("soft_state");
    }

    private static List<Config> read() {
        try {
            return AuditReader.read(demo.agent().settings().stateDir(), Instant.EPOCH);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
