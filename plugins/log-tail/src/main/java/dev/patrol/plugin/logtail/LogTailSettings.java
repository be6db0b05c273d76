package dev.patrol.plugin.logtail;

import com.typesafe.config.Config;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Everything a log-tail check block says, read and validated once when the config is loaded; see this plugin's
 * {@code reference.conf} for each key. Immutable and thread-safe.
 *
 * @param source where the files are: on each target over SSH, or on the agent's machine
 * @param paths absolute paths, {@code *} and {@code ?} matching within one path segment
 * @param startAt where a file found on the check's first poll is read from
 * @param patterns name to regular expression, in the order written
 * @param maxReadPerRun bytes read per run at most, across the target's files
 * @param maxLineLength longer lines are split into pieces of this many bytes
 * @param maxFiles files one target may follow at most, across all paths
 * @param spoolMaxBytes the disk budget of one target's spool directory
 * @param spoolMaxFileBytes the size at which a spool file is rotated
 */
public record LogTailSettings(
        Source source,
        List<String> paths,
        StartAt startAt,
        Map<String, Pattern> patterns,
        long maxReadPerRun,
        int maxLineLength,
        int maxFiles,
        long spoolMaxBytes,
        long spoolMaxFileBytes) {

    /** {@code source}: where the files are read. */
    public enum Source {
        SSH,
        LOCAL
    }

    /** {@code start-at}: where a file never seen before is read from. */
    public enum StartAt {
        END,
        BEGINNING
    }

    static final long MAX_READ_LIMIT = 256L * 1024 * 1024;

    public LogTailSettings {
        paths = List.copyOf(paths);
        patterns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(patterns));
    }

    /**
     * Reads a check block that has this plugin's defaults as fallback, collecting every problem before failing.
     *
     * @throws InvalidSettingsException naming each bad key with what was expected
     */
    public static LogTailSettings from(Config block) {
        SettingsReader reader = new SettingsReader(block);
        Source source = reader.oneOf("source", Source.class);
        List<String> paths = reader.stringList("paths");
        if (paths != null && paths.isEmpty()) {
            reader.problem("paths", "expected at least one absolute path, such as \"/var/log/syslog\"");
        }
        for (String path : paths == null ? List.<String>of() : paths) {
            if (!path.startsWith("/") || path.endsWith("/") || path.contains("\n") || path.contains("\0")) {
                reader.problem("paths", "expected absolute paths of files, got '" + path + "'");
            } else if (path.contains("[") || path.contains("{")) {
                reader.problem("paths", "expected only * and ? as glob characters, got '" + path + "'");
            }
        }
        StartAt startAt = reader.oneOf("start-at", StartAt.class);
        Map<String, Pattern> patterns = new LinkedHashMap<>();
        reader.stringMap("patterns").forEach((name, regex) -> {
            if (!name.matches("[a-z_][a-z0-9_]*")) {
                reader.problem("patterns", "expected pattern names matching [a-z_][a-z0-9_]*, got '" + name + "'");
            }
            try {
                patterns.put(name, Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                reader.problem("patterns." + name, "expected a Java regular expression: " + e.getDescription());
            }
        });
        Long maxRead = reader.bytes("max-read-per-run");
        if (maxRead != null && (maxRead < 4096 || maxRead > MAX_READ_LIMIT)) {
            reader.problem("max-read-per-run", "expected a size from 4KiB to 256MiB, got " + maxRead + " bytes");
        }
        Long maxLine = reader.bytes("max-line-length");
        if (maxLine != null && (maxLine < 256 || maxLine > 16L * 1024 * 1024)) {
            reader.problem("max-line-length", "expected a size from 256B to 16MiB, got " + maxLine + " bytes");
        }
        if (maxLine != null && maxRead != null && maxLine > maxRead) {
            reader.problem("max-line-length", "expected at most max-read-per-run (" + maxRead + " bytes)");
        }
        Integer maxFiles = reader.integer("max-files", 1, 10_000);
        Long spoolMax = reader.bytes("spool.max-bytes");
        Long spoolFile = reader.bytes("spool.max-file-bytes");
        if (spoolFile != null && spoolFile < 4096) {
            reader.problem("spool.max-file-bytes", "expected a size of at least 4KiB, got " + spoolFile + " bytes");
        }
        if (spoolMax != null && spoolFile != null && spoolMax < spoolFile) {
            reader.problem("spool.max-bytes", "expected at least spool.max-file-bytes (" + spoolFile + " bytes)");
        }
        reader.throwIfInvalid();
        return new LogTailSettings(
                source, paths, startAt, patterns, maxRead, maxLine.intValue(), maxFiles, spoolMax, spoolFile);
    }
}
