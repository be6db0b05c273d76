package dev.patrol.core.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.patrol.api.SettingsReader;
import dev.patrol.core.job.JobSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Reads the transfer keys of a job block ({@code max-bytes}, {@code max-rate}, {@code follow-symlinks},
 * {@code streams}) and the push
 * keys ({@code source}, {@code remote-path}, {@code mode}, {@code owner}); each mistake is a problem on the reader, at
 * the key's line.
 */
final class JobTransferParser {
    /** Below OpenSSH's MaxSessions (10), with room for the checksum's channel and the checks' own. */
    private static final int MAX_STREAMS = 8;

    private static final Pattern MODE = Pattern.compile("[0-7]{3,4}");
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?");

    private JobTransferParser() {}

    /** The transfer bounds, or {@code null} after a problem. */
    static JobSettings.Transfer transfer(SettingsReader reader) {
        boolean valid = true;
        long maxBytes = 0;
        if (reader.has("max-bytes")) {
            Long bytes = reader.bytes("max-bytes");
            if (bytes != null && bytes == 0) {
                reader.problem("max-bytes", "expected a size greater than zero such as 10GiB, or null for no bound");
            }
            valid = bytes != null && bytes > 0;
            maxBytes = valid ? bytes : 0;
        }
        Long maxRate = reader.has("max-rate") ? rate(reader) : Long.valueOf(0);
        Boolean follow = reader.bool("follow-symlinks");
        Integer streams = reader.integer("streams", 1, MAX_STREAMS);
        if (!valid || maxRate == null || follow == null || streams == null) {
            return null;
        }
        return new JobSettings.Transfer(maxBytes, maxRate, follow, streams);
    }

    /** A rate such as {@code "20MiB/s"}: a HOCON size per second, at least 1 KiB/s. */
    private static Long rate(SettingsReader reader) {
        String expected = "expected a size per second of at least 1KiB/s such as \"20MiB/s\"";
        ConfigValue value = reader.config().getValue("max-rate");
        String text = value.valueType() == ConfigValueType.STRING ? (String) value.unwrapped() : "";
        if (text.endsWith("/s")) {
            try {
                long bytes = ConfigFactory.empty()
                        .withValue("rate", ConfigValueFactory.fromAnyRef(text.substring(0, text.length() - 2)))
                        .getBytes("rate");
                if (bytes >= 1024) {
                    return bytes;
                }
            } catch (ConfigException e) {
                // Reported below with the expected form.
            }
        }
        reader.problem("max-rate", expected + ", got " + TargetSelector.describe(value));
        return null;
    }

    /** The push settings, or {@code null} after a problem (the caller reports missing required keys). */
    static JobSettings.Push push(SettingsReader reader, Path baseDir) {
        int before = reader.problems().size();
        Path source = null;
        String sourceText = reader.has("source") ? reader.string("source") : null;
        if (sourceText != null) {
            try {
                source = sourceText.isBlank() ? null : baseDir.resolve(sourceText);
            } catch (InvalidPathException e) {
                source = null;
            }
            if (source == null) {
                reader.problem("source", "expected the local file to push, got '" + sourceText + "'");
            }
        }
        String remote = reader.has("remote-path") ? reader.string("remote-path") : null;
        if (remote != null
                && (!remote.startsWith("/")
                        || remote.endsWith("/")
                        || remote.contains("\n")
                        || remote.contains("\0"))) {
            reader.problem("remote-path", "expected an absolute remote file path on one line, got '" + remote + "'");
        }
        Integer mode = null;
        if (reader.has("mode")) {
            Object raw = reader.config().getValue("mode").unwrapped();
            String text = raw instanceof String || raw instanceof Integer ? raw.toString() : "";
            if (MODE.matcher(text).matches()) {
                mode = Integer.parseInt(text, 8);
            } else {
                reader.problem(
                        "mode",
                        "expected octal permission bits such as \"0640\", got "
                                + TargetSelector.describe(reader.config().getValue("mode")));
            }
        }
        String owner = reader.has("owner") ? reader.string("owner") : null;
        if (owner != null && !OWNER.matcher(owner).matches()) {
            reader.problem("owner", "expected a user name or user:group such as \"root:adm\", got '" + owner + "'");
        }
        if (reader.problems().size() > before || source == null || remote == null) {
            return null;
        }
        return new JobSettings.Push(source, remote, mode, owner);
    }
}
