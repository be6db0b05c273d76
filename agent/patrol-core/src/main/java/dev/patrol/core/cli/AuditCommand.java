package dev.patrol.core.cli;

import com.typesafe.config.Config;
import dev.patrol.core.audit.AuditReader;
import dev.patrol.core.config.PatrolSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code patrol audit --config FILE [--since 1h]}: the audit log of actions (runs, dry runs, suppressions) and job steps
 * under the configured state-dir, as a table, oldest first.
 */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Print the audit log of remediation actions and job steps as a table.")
final class AuditCommand implements Callable<Integer> {
    private static final String FORMAT = "%-20s  %-20s  %-16s  %-20s  %-10s  %-16s  %s%n";

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "Main config file (for state-dir).")
    private Path config;

    @Option(
            names = "--since",
            defaultValue = "24h",
            paramLabel = "DURATION",
            description = "How far back to show, such as 30m, 1h or 7d (default ${DEFAULT-VALUE}).")
    private String since;

    @Override
    public Integer call() throws Exception {
        PatrolSettings settings = Configs.load(config, System.err);
        if (settings == null) {
            return 1;
        }
        Duration back;
        try {
            back = parse(since);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            System.err.println("patrol: --since expects a duration such as 30m, 1h or 7d, got '" + since + "'");
            return 1;
        }
        print(AuditReader.read(settings.stateDir(), Instant.now().minus(back)), System.out);
        return 0;
    }

    static Duration parse(String text) {
        String lower = text.trim().toLowerCase(Locale.ROOT);
        if (lower.endsWith("d")) {
            return Duration.ofDays(Long.parseLong(lower.substring(0, lower.length() - 1)));
        }
        return Duration.parse("PT" + lower.toUpperCase(Locale.ROOT));
    }

    static void print(List<Config> entries, PrintStream out) {
        out.printf(FORMAT, "TIME", "ACTION", "TARGET", "TRIGGER", "EVENT", "RESULT", "COMMAND");
        for (Config entry : entries) {
            if (entry.hasPath("job")) {
                printJob(entry, out);
                continue;
            }
            String trigger = text(entry, "check") + "=" + text(entry, "status") + "/" + text(entry, "state");
            String result = entry.hasPath("reason") ? text(entry, "reason") : text(entry, "result");
            if (entry.hasPath("exit_status")) {
                result += " (" + entry.getInt("exit_status") + ")";
            }
            out.printf(
                    FORMAT,
                    text(entry, "time").replaceAll("\\.\\d+Z$", "Z"),
                    text(entry, "action"),
                    text(entry, "target"),
                    trigger,
                    text(entry, "event"),
                    result,
                    text(entry, "command"));
        }
    }

    /** A job step: the job where an action's name goes, its type as the trigger, and what it did. */
    private static void printJob(Config entry, PrintStream out) {
        String what = entry.hasPath("message") ? text(entry, "message") : text(entry, "what");
        if (entry.hasPath("bytes") && entry.getLong("bytes") > 0) {
            what = entry.getLong("bytes") + " bytes; " + what;
        }
        out.printf(
                FORMAT,
                text(entry, "time").replaceAll("\\.\\d+Z$", "Z"),
                "job " + text(entry, "job"),
                text(entry, "target"),
                text(entry, "type"),
                text(entry, "event"),
                entry.hasPath("result") ? text(entry, "result") : "-",
                what);
    }

    private static String text(Config entry, String key) {
        return entry.hasPath(key) ? entry.getString(key) : "-";
    }
}
