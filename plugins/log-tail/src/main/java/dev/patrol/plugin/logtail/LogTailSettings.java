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
        long spoolMaxFileBytes,
        Forward forward) {

    /**
     * {@code forward}: where spooled lines are sent next, or {@code null} for nowhere.
     *
     * @param host the syslog receiver's host
     * @param port its TCP port
     * @param appName the RFC 5424 APP-NAME
     * @param batchLines lines per connection at most
     * @param timeout connect and read timeout
     * @param tls TLS towards the receiver, or {@code null} for plain TCP
     */
    public record Forward(
            String host, int port, String appName, int batchLines, java.time.Duration timeout, SyslogTls tls) {}

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
        if (maxLine != null && maxRead != null && maxLine > maxRead && maxRead >= 4096) {
            reader.problem("max-read-per-run", "expected at least max-line-length (" + maxLine + " bytes)");
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
        Forward forward = forward(reader);
        reader.throwIfInvalid();
        return new LogTailSettings(
                source, paths, startAt, patterns, maxRead, maxLine.intValue(), maxFiles, spoolMax, spoolFile, forward);
    }

    private enum ForwardType {
        NONE,
        SYSLOG
    }

    private static Forward forward(SettingsReader reader) {
        ForwardType type = reader.oneOf("forward.type", ForwardType.class);
        String appName = reader.string("forward.syslog.app-name");
        Integer batch = reader.integer("forward.syslog.batch-lines", 1, 100_000);
        java.time.Duration timeout = reader.positiveDuration("forward.syslog.timeout");
        if (type != ForwardType.SYSLOG) {
            return null;
        }
        String address = reader.optionalString("forward.syslog.address").orElse("");
        int colon = address.lastIndexOf(':');
        int port = -1;
        try {
            port = colon > 0 ? Integer.parseInt(address.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            // reported below
        }
        if (port < 1 || port > 65535) {
            reader.problem(
                    "forward.syslog.address", "expected host:port with forward.type = syslog, got '" + address + "'");
            return null;
        }
        String host = address.substring(0, colon).replaceAll("^\\[|\\]$", "");
        SyslogTls tls = SyslogTls.from(reader, host);
        return new Forward(host, port, appName, batch == null ? 1 : batch, timeout, tls);
    }
}
