package dev.patrol.core.action;

import static dev.patrol.api.Status.CRITICAL;
import static dev.patrol.api.Status.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.testing.Closing;
import dev.patrol.testing.OpenSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guardrails that span many pairs or an agent's lifetime, against a real OpenSSH server. */
class RemediationLimitsIT {
    private static final int TARGETS = 10;
    private static final int CHECKS = 5;
    private static final int MAX_CONCURRENT = 3;

    static OpenSshServer sshd;

    @TempDir
    static Path sshdDir;

    @TempDir
    Path dir;

    RemediationHarness patrol;

    @BeforeAll
    static void startSshd() {
        sshd = OpenSshServer.create(sshdDir.resolve("sshd")).maxSessions(20).start();
    }

    @AfterAll
    static void stopSshd() throws Exception {
        Closing.closeAll(sshd);
    }

    @AfterEach
    void stop() {
        patrol.close();
    }

    /**
     * 50 pairs (10 targets x 5 checks, one action per check) go hard together. Each action, while it runs, holds a
     * file in running/ and first writes how many such files exist (all, and for its target) into a log: the highest
     * numbers seen there may not pass max-concurrent and 1.
     */
    @Test
    void fiftyPairsGoingHardTogetherRespectMaxConcurrentAndThePerTargetLock() throws Exception {
        patrol = new RemediationHarness(dir, sshd);
        Path running = Files.createDirectories(dir.resolve("running"));
        Path concurrency = dir.resolve("concurrency");
        StringBuilder body = new StringBuilder("targets {\n");
        for (int t = 1; t <= TARGETS; t++) {
            patrol.set("t" + t, "ok");
            body.append(patrol.target("t" + t, ""));
        }
        body.append("}\nchecks {\n");
        for (int c = 1; c <= CHECKS; c++) {
            body.append("c").append(c).append(" { type = flag, targets = \"*\", interval = 1s }\n");
        }
        body.append("}\nactions {\n");
        for (int c = 1; c <= CHECKS; c++) {
            String mine = running + "/{target}-{check}";
            String command = "touch " + mine + "; echo $(ls " + running + " | wc -l) $(ls " + running
                    + " | grep -c '^{target}-') >> " + concurrency + "; sleep 1; echo {target} >> " + patrol.marker()
                    + "; rm " + mine;
            body.append("a")
                    .append(c)
                    .append(" { on { check = c")
                    .append(c)
                    .append(" }, run = \"")
                    .append(command.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append("\" }\n");
        }
        body.append("}\naction-limits.max-concurrent = ").append(MAX_CONCURRENT).append("\n");
        patrol.configure(body.toString()).start();
        for (int t = 1; t <= TARGETS; t++) {
            for (int c = 1; c <= CHECKS; c++) {
                patrol.awaitHard("c" + c, "t" + t, OK);
            }
        }

        for (int t = 1; t <= TARGETS; t++) {
            patrol.set("t" + t, "critical");
        }
        for (int t = 1; t <= TARGETS; t++) {
            for (int c = 1; c <= CHECKS; c++) {
                patrol.awaitHard("c" + c, "t" + t, CRITICAL);
            }
        }
        patrol.awaitIdle();

        List<int[]> seen = Files.readAllLines(concurrency).stream()
                .map(line -> Arrays.stream(line.trim().split("\\s+"))
                        .mapToInt(Integer::parseInt)
                        .toArray())
                .toList();
        int highest = seen.stream().mapToInt(counts -> counts[0]).max().orElse(0);
        int highestPerTarget = seen.stream().mapToInt(counts -> counts[1]).max().orElse(0);
        assertThat(highest).isBetween(1, MAX_CONCURRENT);
        assertThat(highestPerTarget).isEqualTo(1);
        assertThat(patrol.agent.remediation().guard().maxRunning()).isBetween(1, MAX_CONCURRENT);
        // Every pair went hard once: each was either run or suppressed by one of the two limits, and audited.
        assertThat(patrol.markerLines()).hasSize(seen.size());
        assertThat(patrol.audited("run")).isEqualTo(seen.size());
        assertThat(patrol.audited("run") + patrol.audited("suppressed")).isEqualTo(TARGETS * CHECKS);
        assertThat(patrol.audit())
                .filteredOn(entry -> entry.getString("event").equals("suppressed"))
                .allSatisfy(entry -> assertThat(entry.getString("reason")).isIn("in_flight", "max_concurrent"));
    }

    @Test
    void maxPerHourHoldsAcrossARestartAndAReload() {
        patrol = new RemediationHarness(dir, sshd);
        patrol.set("web-1", "ok");
        patrol.configure("targets {\n" + patrol.target("web-1", "") + "}\n"
                        + "checks { up { type = flag, targets = \"*\", interval = 1s, flap-high = 100, flap-low = 99 } }\n"
                        + "actions { fix { on { check = up }, run = \"echo {target} >> " + patrol.marker()
                        + "\", cooldown = 0s, max-per-hour = 2 } }\n")
                .start();
        patrol.awaitHard("up", "web-1", OK);
        for (int i = 0; i < 2; i++) {
            patrol.set("web-1", "critical");
            patrol.awaitHard("up", "web-1", CRITICAL);
            patrol.set("web-1", "ok");
            patrol.awaitHard("up", "web-1", OK);
        }
        assertThat(patrol.markerLines()).hasSize(2);

        // A restart while critical does not fire again: the saved state says the pair was hard critical already.
        patrol.set("web-1", "critical");
        patrol.awaitHard("up", "web-1", CRITICAL);
        patrol.restart();
        await().atMost(RemediationHarness.WAIT)
                .until(() -> patrol.state("up", "web-1").isPresent());
        patrol.awaitRuns("up", "web-1", 3);
        assertThat(patrol.markerLines()).hasSize(2);
        assertThat(patrol.metrics().suppressed("fix", "web-1", Suppression.RATE_LIMIT))
                .isZero();

        patrol.set("web-1", "ok");
        patrol.awaitHard("up", "web-1", OK);
        patrol.set("web-1", "critical");
        patrol.awaitHard("up", "web-1", CRITICAL);
        assertThat(patrol.metrics().suppressed("fix", "web-1", Suppression.RATE_LIMIT))
                .isEqualTo(1);

        assertThat(patrol.agent.reload().success()).isTrue();
        patrol.set("web-1", "ok");
        patrol.awaitHard("up", "web-1", OK);
        patrol.set("web-1", "critical");
        patrol.awaitHard("up", "web-1", CRITICAL);

        assertThat(patrol.metrics().suppressed("fix", "web-1", Suppression.RATE_LIMIT))
                .isEqualTo(2);
        assertThat(patrol.markerLines()).hasSize(2);
        assertThat(patrol.audited("run")).isEqualTo(2);
    }
}
