package dev.patrol.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.patrol.api.SettingsReader;
import dev.patrol.api.Target;
import dev.patrol.core.job.JobSettings;
import dev.patrol.core.job.JobType;
import dev.patrol.core.job.Limit;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * Reads {@code patrol.jobs.<name>} blocks, each over {@code patrol.job-defaults}, into {@link JobSettings}: once, at
 * load, with every mistake a {@code FILE:LINE} problem. Unknown keys are rejected here rather than in
 * {@link KeyChecker}, since {@code jobs {}} is an open block in reference.conf.
 */
final class JobParser {
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3})%");

    private JobParser() {}

    static Map<String, JobSettings> parse(
            Config patrol, TargetParser.Parsed targets, Path stateDir, Path baseDir, Problems problems) {
        Map<String, JobSettings> jobs = new TreeMap<>();
        if (!(patrol.root().get("jobs") instanceof ConfigObject all)) {
            return jobs;
        }
        ConfigObject defaults = patrol.getObject("job-defaults");
        for (Map.Entry<String, ConfigValue> entry : all.entrySet()) {
            String path = Origins.join("patrol.jobs", entry.getKey());
            if (!(entry.getValue() instanceof ConfigObject block)) {
                problems.add(Origins.of(entry.getValue()), path, "expected a block { ... }");
                continue;
            }
            for (Map.Entry<String, ConfigValue> key : block.entrySet()) {
                if (!defaults.containsKey(key.getKey())) {
                    String hint = Suggestions.nearest(key.getKey(), defaults.keySet())
                            .map(nearest -> ", did you mean '" + nearest + "'?")
                            .orElseGet(
                                    () -> "; expected one of " + String.join(", ", new TreeSet<>(defaults.keySet())));
                    problems.add(Origins.of(key.getValue()), Origins.join(path, key.getKey()), "unknown key" + hint);
                }
            }
            JobSettings job = job(entry.getKey(), block, defaults, targets, stateDir, baseDir, path, problems);
            if (job != null) {
                jobs.put(entry.getKey(), job);
            }
        }
        return jobs;
    }

    private static JobSettings job(
            String name,
            ConfigObject block,
            ConfigObject defaults,
            TargetParser.Parsed targets,
            Path stateDir,
            Path baseDir,
            String path,
            Problems problems) {
        Config config = block.withFallback(defaults).toConfig();
        SettingsReader reader = new SettingsReader(config);
        int before = reader.problems().size();
        String typeText = reader.string("type");
        JobType type = null;
        if (typeText != null) {
            try {
                type = JobType.valueOf(typeText.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                reader.problem("type", "expected one of command, fetch, push, got '" + typeText + "'");
            }
        }
        List<Target> selected = null;
        if (!config.hasPath("targets")) {
            problems.add(Origins.of(block), Origins.join(path, "targets"), TargetSelector.EXPECTED);
        } else {
            selected = TargetSelector.select(
                    config.getValue("targets"),
                    Origins.join(path, "targets"),
                    targets.targets(),
                    targets.broken(),
                    problems);
        }
        String schedule = config.hasPath("schedule") ? reader.string("schedule") : null;
        if (schedule != null && !CronExpression.isValidExpression(schedule)) {
            reader.problem(
                    "schedule", "expected a Quartz cron expression such as \"0 0 2 * * ?\", got '" + schedule + "'");
        }
        ZoneId zone = zone(reader);
        Limit serial = limit(reader, "serial");
        Limit maxFailures = limit(reader, "max-failures");
        Duration timeout = reader.positiveDuration("timeout");
        String command = config.hasPath("command") ? reader.string("command") : null;
        if (type == JobType.COMMAND && (command == null || command.isBlank())) {
            problems.add(
                    Origins.of(block),
                    Origins.join(path, "command"),
                    "expected the command to run, since type = command");
            command = null;
        }
        Set<Integer> okExitCodes = exitCodes(reader);
        List<String> paths = reader.stringList("paths");
        if (type == JobType.FETCH && (paths == null || paths.isEmpty())) {
            problems.add(
                    Origins.of(block),
                    Origins.join(path, "paths"),
                    "expected at least one remote file or glob, since type = fetch");
            paths = null;
        }
        for (String remote : paths == null ? List.<String>of() : paths) {
            if (!remote.startsWith("/") || remote.contains("\n") || remote.contains("\0")) {
                reader.problem("paths", "expected absolute remote paths on one line, got '" + remote + "'");
            }
        }
        Path destination = stateDir == null ? null : stateDir.resolve("backups");
        if (config.hasPath("destination")) {
            String text = reader.string("destination");
            try {
                destination = text == null || text.isBlank() ? null : baseDir.resolve(text);
            } catch (InvalidPathException e) {
                destination = null;
            }
            if (destination == null) {
                reader.problem("destination", "expected a directory path, got '" + text + "'");
            }
        }
        Integer keepCount = reader.integer("keep.count", 1, 100_000);
        Duration keepAge = reader.positiveDuration("keep.age");
        JobSettings.NoFiles noFiles = reader.oneOf("no-files", JobSettings.NoFiles.class);
        JobSettings.Transfer transfer = JobTransferParser.transfer(reader);
        JobSettings.Push push = null;
        if (type == JobType.PUSH) {
            push = JobTransferParser.push(reader, baseDir);
            for (String required : List.of("source", "remote-path")) {
                if (!config.hasPath(required)) {
                    problems.add(
                            Origins.of(block),
                            Origins.join(path, required),
                            "expected " + (required.equals("source") ? "the local file" : "the remote file path")
                                    + " to push, since type = push");
                }
            }
        }
        problems.addUnder(path, reader.problems(), Origins.of(block));
        if (reader.problems().size() > before
                || type == null
                || selected == null
                || zone == null
                || serial == null
                || maxFailures == null
                || timeout == null
                || keepCount == null
                || keepAge == null
                || noFiles == null
                || transfer == null
                || (type == JobType.PUSH && push == null)) {
            return null;
        }
        return new JobSettings(
                name,
                type,
                selected,
                schedule,
                zone,
                serial,
                maxFailures,
                timeout,
                command,
                okExitCodes,
                List.copyOf(paths),
                destination,
                new JobSettings.Keep(keepCount, keepAge),
                noFiles,
                transfer,
                push);
    }

    private static ZoneId zone(SettingsReader reader) {
        String text = reader.string("time-zone");
        if (text == null) {
            return null;
        }
        try {
            return ZoneId.of(text);
        } catch (java.time.DateTimeException e) {
            reader.problem(
                    "time-zone", "expected a time zone such as \"UTC\" or \"Europe/Berlin\", got '" + text + "'");
            return null;
        }
    }

    /** An integer of at least 1, or a percentage from 1% to 100%. */
    private static Limit limit(SettingsReader reader, String key) {
        ConfigValue value = reader.config().getValue(key);
        String expected = "expected a count of at least 1 such as 3, or a share of the targets such as \"20%\"";
        if (value.valueType() == ConfigValueType.NUMBER && value.unwrapped() instanceof Integer number && number >= 1) {
            return new Limit(number, false);
        }
        if (value.valueType() == ConfigValueType.STRING) {
            Matcher percent = PERCENT.matcher((String) value.unwrapped());
            if (percent.matches()) {
                int share = Integer.parseInt(percent.group(1));
                if (share >= 1 && share <= 100) {
                    return new Limit(share, true);
                }
            }
        }
        reader.problem(key, expected + ", got " + TargetSelector.describe(value));
        return null;
    }

    private static Set<Integer> exitCodes(SettingsReader reader) {
        Set<Integer> codes = new LinkedHashSet<>();
        ConfigValue value = reader.config().getValue("ok-exit-codes");
        List<?> items = value.unwrapped() instanceof List<?> list ? list : List.of(value.unwrapped());
        for (Object item : items) {
            if (item instanceof Integer code && code >= 0 && code <= 255) {
                codes.add(code);
            } else {
                reader.problem("ok-exit-codes", "expected exit statuses from 0 to 255 such as [0, 1], got " + item);
                return Set.of();
            }
        }
        return Set.copyOf(codes);
    }
}
