package dev.patrol.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    @TempDir
    Path dir;

    private static Map<String, Object> entry(int n, Instant at) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("time", at.toString());
        entry.put("action", "restart");
        entry.put("n", n);
        entry.put("output", "line \"quoted\"\nnext\t\u0001");
        entry.put("recheck", null);
        return entry;
    }

    @Test
    void writesOneJsonObjectPerLineThatParsesBack() throws Exception {
        AuditLog log = new AuditLog(dir, 1024 * 1024, 3);
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        log.append(entry(1, at));
        log.append(entry(2, at.plusSeconds(1)));

        List<String> lines = Files.readAllLines(dir.resolve("audit.log"));
        assertThat(lines).hasSize(2);
        List<Config> entries = AuditReader.read(dir, Instant.EPOCH);
        assertThat(entries).extracting(e -> e.getInt("n")).containsExactly(1, 2);
        assertThat(entries.get(0).getString("output")).isEqualTo("line \"quoted\"\nnext\t\u0001");
        assertThat(entries.get(0).getIsNull("recheck")).isTrue();
        assertThat(AuditReader.read(dir, at.plusSeconds(1)))
                .extracting(e -> e.getInt("n"))
                .containsExactly(2);
    }

    @Test
    void rotatesBySizeAndKeepsMaxFiles() throws Exception {
        AuditLog log = new AuditLog(dir, 400, 2);
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        for (int n = 0; n < 40; n++) {
            log.append(entry(n, at.plusSeconds(n)));
        }

        try (var files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("audit.log", "audit.log.1", "audit.log.2");
        }
        assertThat(Files.size(dir.resolve("audit.log"))).isLessThanOrEqualTo(400);
        List<Config> kept = AuditReader.read(dir, Instant.EPOCH);
        assertThat(kept).extracting(e -> e.getInt("n")).isSorted().endsWith(39);
        assertThat(kept.size()).isLessThan(40);
    }
}
