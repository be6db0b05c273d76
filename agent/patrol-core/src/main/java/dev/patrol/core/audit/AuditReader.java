package dev.patrol.core.audit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads the audit log back, rotated files first (oldest first), for {@code patrol audit} and tests. */
public final class AuditReader {
    private static final ConfigParseOptions JSON = ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON);

    private AuditReader() {}

    /** Every entry at or after {@code since}, oldest first; a line that is not JSON is skipped. */
    public static List<Config> read(Path stateDir, Instant since) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int n = 1000; n >= 1; n--) {
            Path rotated = stateDir.resolve(AuditLog.FILE_NAME + "." + n);
            if (Files.exists(rotated)) {
                files.add(rotated);
            }
        }
        Path current = stateDir.resolve(AuditLog.FILE_NAME);
        if (Files.exists(current)) {
            files.add(current);
        }
        List<Config> entries = new ArrayList<>();
        for (Path file : files) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    Config entry = ConfigFactory.parseString(line, JSON);
                    if (!Instant.parse(entry.getString("time")).isBefore(since)) {
                        entries.add(entry);
                    }
                } catch (ConfigException | java.time.format.DateTimeParseException e) {
                    // a torn last line after a power cut: the entries before it still count
                }
            }
        }
        return entries;
    }
}
