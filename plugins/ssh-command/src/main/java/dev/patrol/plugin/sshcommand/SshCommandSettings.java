package dev.patrol.plugin.sshcommand;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.Sample;
import dev.patrol.api.SettingsReader;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything an ssh-command check block says, read and validated once when the config is loaded; see this plugin's
 * {@code reference.conf} for each key. Immutable and thread-safe.
 *
 * @param command the command line handed to the target's login shell
 * @param output how the command's output and exit status are judged
 * @param maxOutput {@code max-output} in bytes, per stream
 * @param samplesPrefix {@code samples-prefix}, or the empty string for none
 * @param maxSamples {@code max-samples}: the cap on samples per run
 * @param okExitCodes {@code ok-exit-codes}, for {@code output = prometheus} and {@code none}
 * @param perfdataLimits which perfdata limits become samples of their own
 * @param commandTimeout {@code command-timeout}: whether the target's {@code timeout} wraps the command
 */
public record SshCommandSettings(
        String command,
        Output output,
        int maxOutput,
        String samplesPrefix,
        int maxSamples,
        Set<Integer> okExitCodes,
        PerfdataLimits perfdataLimits,
        CommandTimeout commandTimeout) {

    /** {@code output}: how to read the command's result. */
    public enum Output {
        NAGIOS,
        PROMETHEUS,
        NONE
    }

    /** {@code perfdata-limits}: which limits of a perfdata item are exposed beside its value. */
    public enum PerfdataLimits {
        NONE,
        MAX,
        MIN_MAX
    }

    static final long MIN_OUTPUT = 1024;
    static final long MAX_OUTPUT = 16L * 1024 * 1024;
    /**
     * The highest {@code max-samples}: the agent exposes at most {@link Sample#MAX_PER_RUN} samples of one run, and
     * one of them is always {@code patrol_ssh_command_exit_status}, so every sample this bound lets through is exposed.
     */
    static final int MAX_SAMPLES_LIMIT = Sample.MAX_PER_RUN - 1;

    static final Duration MIN_COMMAND_TIMEOUT = Duration.ofSeconds(1);
    static final Duration MAX_COMMAND_TIMEOUT = Duration.ofDays(1);

    public SshCommandSettings {
        okExitCodes = Set.copyOf(okExitCodes);
    }

    /**
     * Reads a check block that has this plugin's defaults as fallback, collecting every problem before failing.
     *
     * <pre>{@code
     * SshCommandSettings settings = SshCommandSettings.from(ConfigFactory.parseString("command = uptime")
     *         .withFallback(referenceDefaults));
     * }</pre>
     *
     * @throws InvalidSettingsException naming each bad key with what was expected
     */
    public static SshCommandSettings from(Config block) {
        SettingsReader reader = new SettingsReader(block);
        String command = reader.string("command");
        if (command != null && command.isBlank()) {
            reader.problem("command", "expected a command to run, got an empty string");
        }
        Output output = reader.oneOf("output", Output.class);
        Long maxOutput = reader.bytes("max-output");
        if (maxOutput != null && (maxOutput < MIN_OUTPUT || maxOutput > MAX_OUTPUT)) {
            reader.problem("max-output", "expected a size from 1KiB to 16MiB, got " + maxOutput + " bytes");
        }
        String prefix = reader.optionalString("samples-prefix").orElse("");
        if (!prefix.isEmpty() && !Sample.isValidSampleName(prefix)) {
            reader.problem("samples-prefix", "expected a name matching [a-z_][a-z0-9_]*, got '" + prefix + "'");
        }
        Integer maxSamples = reader.integer("max-samples", 1, MAX_SAMPLES_LIMIT);
        Set<Integer> okExitCodes = exitCodes(reader);
        PerfdataLimits limits = reader.oneOf("perfdata-limits", PerfdataLimits.class);
        CommandTimeout commandTimeout = commandTimeout(reader);
        reader.throwIfInvalid();
        return new SshCommandSettings(
                command, output, maxOutput.intValue(), prefix, maxSamples, okExitCodes, limits, commandTimeout);
    }

    private static CommandTimeout commandTimeout(SettingsReader reader) {
        String path = "command-timeout";
        String text = reader.string(path);
        if (text == null || text.equals("off")) {
            return CommandTimeout.OFF;
        }
        if (text.equals("auto")) {
            return CommandTimeout.AUTO;
        }
        Duration duration = null;
        try {
            duration = reader.config().getDuration(path);
        } catch (ConfigException e) {
            // Reported below, with the values this key accepts.
        }
        if (duration == null
                || duration.compareTo(MIN_COMMAND_TIMEOUT) < 0
                || duration.compareTo(MAX_COMMAND_TIMEOUT) > 0) {
            reader.problem(path, "expected off, auto or a duration from 1s to 1d, got '" + text + "'");
            return CommandTimeout.OFF;
        }
        return CommandTimeout.of(duration);
    }

    private static Set<Integer> exitCodes(SettingsReader reader) {
        String path = "ok-exit-codes";
        Set<Integer> codes = new TreeSet<>();
        ConfigValueType type = reader.has(path) ? reader.config().getValue(path).valueType() : null;
        if (type == ConfigValueType.NUMBER) {
            // One code written without brackets is what users mean by a list of one.
            Integer code = reader.integer(path, 0, 255);
            if (code != null) {
                codes.add(code);
            }
            return codes;
        }
        List<String> entries = reader.stringList(path);
        if (entries == null) {
            return codes;
        }
        for (String entry : entries) {
            try {
                int code = Integer.parseInt(entry.strip());
                if (code < 0 || code > 255) {
                    reader.problem(path, "expected exit statuses from 0 to 255, got " + code);
                } else {
                    codes.add(code);
                }
            } catch (NumberFormatException e) {
                reader.problem(path, "expected exit statuses from 0 to 255, got '" + entry + "'");
            }
        }
        if (entries.isEmpty()) {
            reader.problem(path, "expected at least one exit status, such as [0]");
        }
        return codes;
    }
}
