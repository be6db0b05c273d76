package dev.patrol.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.Target;
import dev.patrol.core.audit.AuditLog;
import dev.patrol.core.audit.AuditReader;
import dev.patrol.core.job.JobAudit;
import dev.patrol.core.job.JobResult;
import dev.patrol.core.job.JobSettings;
import dev.patrol.core.job.JobType;
import dev.patrol.core.job.Limit;
import dev.patrol.core.job.TargetOutcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandTest {
    @TempDir
    Path dir;

    private static Map<String, Object> entry(Instant at, String event, String result) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("time", at.toString());
        entry.put("action", "restart-nginx");
        entry.put("target", "web-1");
        entry.put("check", "nginx-up");
        entry.put("status", "critical");
        entry.put("state", "hard");
        entry.put("event", event);
        entry.put(event.equals("suppressed") ? "reason" : "result", result);
        entry.put("command", "sudo systemctl restart nginx");
        return entry;
    }

    @Test
    void printsEntriesSinceTheGivenTimeAsATable() throws Exception {
        Path state = dir.resolve("state");
        AuditLog log = new AuditLog(state, 1024 * 1024, 2);
        log.append(entry(Instant.now().minus(Duration.ofHours(3)), "run", "success"));
        log.append(entry(Instant.now().minusSeconds(60), "suppressed", "cooldown"));
        Path config = dir.resolve("patrol.conf");
        Files.writeString(config, "patrol.state-dir = \"" + state + "\"\npatrol.web.listen = \"127.0.0.1:0\"\n");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = Main.commandLine().execute("audit", "--config", config.toString(), "--since", "1h");
        } finally {
            System.setOut(original);
        }

        assertThat(exit).isZero();
        // The agent's own log lines go to stdout too; the table starts at its header.
        String all = out.toString(StandardCharsets.UTF_8);
        String table = all.substring(all.indexOf("TIME "));
        assertThat(table.lines()).hasSize(2);
        assertThat(table.lines().findFirst().orElseThrow()).contains("ACTION", "RESULT");
        assertThat(table)
                .contains("restart-nginx", "web-1", "nginx-up=critical/hard", "cooldown")
                .doesNotContain("success");
    }

    @Test
    void parsesSinceDurations() {
        assertThat(AuditCommand.parse("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(AuditCommand.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(AuditCommand.parse("7d")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void printsJobStepsBesideActions() throws Exception {
        Path state = dir.resolve("state");
        AuditLog log = new AuditLog(state, 1024 * 1024, 2);
        JobSettings job = new JobSettings(
                "db-dump",
                JobType.FETCH,
                List.of(Target.of("db-1", "10.0.0.21", 22)),
                null,
                ZoneOffset.UTC,
                new Limit(1, false),
                new Limit(1, false),
                Duration.ofHours(1),
                null,
                Set.of(0),
                List.of("/var/backups/*.dump"),
                state.resolve("backups"),
                new JobSettings.Keep(7, Duration.ofDays(30)),
                JobSettings.NoFiles.FAIL,
                JobSettings.Transfer.UNBOUNDED,
                null);
        JobAudit audit = new JobAudit(() -> log, Clock.systemUTC());
        audit.started(job, job.targets().get(0));
        audit.finished(
                job,
                new TargetOutcome(
                        "db-1",
                        JobResult.DISK_FULL,
                        "No space left on device",
                        4096,
                        0,
                        0,
                        null,
                        Duration.ofSeconds(2)));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AuditCommand.print(AuditReader.read(state, Instant.EPOCH), new PrintStream(out, true, StandardCharsets.UTF_8));

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).contains("job db-dump", "db-1", "fetch", "started", "/var/backups/*.dump");
        assertThat(lines.get(2))
                .contains("job db-dump", "finished", "disk_full", "4096 bytes; No space left on device");
    }
}
