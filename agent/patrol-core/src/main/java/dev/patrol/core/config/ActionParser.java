package dev.patrol.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import dev.patrol.api.Secret;
import dev.patrol.api.SettingsReader;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds {@code patrol.actions}: each block over {@code patrol.action-defaults}, with its own unknown-key check
 * (the reference's {@code actions {}} takes any name), the check and targets it names, its statuses, its command
 * template's placeholders, and SSH settings on every target a {@code run} goes to over SSH.
 *
 * <p>Not thread-safe; one per load.
 */
final class ActionParser {
    /** {@code {target}}, {@code {label.role}}; {@code ${HOME}} is the shell's, not a placeholder. */
    static final Pattern PLACEHOLDER = Pattern.compile("(?<!\\$)\\{([A-Za-z0-9_.-]+)}");

    private static final Set<String> VALUES = Set.of("target", "host", "check", "status");
    private static final Set<String> KEYS =
            Set.of("on", "run", "where", "shell", "http", "timeout", "max-per-hour", "cooldown", "dry-run", "recheck");
    private static final Set<String> ON_KEYS = Set.of("check", "status", "state", "targets");
    private static final Set<String> HTTP_KEYS =
            Set.of("url", "method", "bearer-token-file", "bearer-token", "headers");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE");

    private final Config patrol;
    private final TargetParser.Parsed targets;
    private final Map<String, CheckSettings> checks;
    private final Problems problems;
    private final java.nio.file.Path baseDir;

    /** @param baseDir the main file's folder, against which a relative kill-switch-file is resolved */
    ActionParser(
            Config patrol,
            TargetParser.Parsed targets,
            Map<String, CheckSettings> checks,
            Problems problems,
            java.nio.file.Path baseDir) {
        this.patrol = patrol;
        this.baseDir = baseDir;
        this.targets = targets;
        this.checks = checks;
        this.problems = problems;
    }

    Map<String, ActionSettings> actions() {
        Map<String, ActionSettings> actions = new TreeMap<>();
        if (!(patrol.root().get("actions") instanceof ConfigObject blocks)) {
            return actions;
        }
        for (Map.Entry<String, ConfigValue> entry : blocks.entrySet()) {
            String path = Origins.join("patrol.actions", entry.getKey());
            if (!(entry.getValue() instanceof ConfigObject block)) {
                problems.add(Origins.of(entry.getValue()), path, "expected a block { ... }");
                continue;
            }
            ActionSettings action = parseOne(entry.getKey(), block, path);
            if (action != null) {
                actions.put(entry.getKey(), action);
            }
        }
        return actions;
    }

    ActionSettings.Limits limits() {
        SettingsReader reader = new SettingsReader(patrol);
        Integer maxConcurrent = reader.integer("action-limits.max-concurrent", 1, 1000);
        String killSwitch =
                reader.optionalString("action-limits.kill-switch-file").orElse(null);
        Long maxSize = reader.bytes("audit.max-file-size");
        Integer maxFiles = reader.integer("audit.max-files", 1, 1000);
        problems.addUnder("patrol", reader.problems(), patrol.origin());
        if (maxConcurrent == null || maxSize == null || maxFiles == null) {
            return ActionSettings.Limits.DEFAULT;
        }
        return new ActionSettings.Limits(
                maxConcurrent, killSwitch == null ? null : baseDir.resolve(killSwitch), maxSize, maxFiles);
    }

    private ActionSettings parseOne(String name, ConfigObject user, String path) {
        ConfigOrigin where = Origins.of(user);
        int before = problems.sorted().size();
        if (!TargetParser.NAME.matcher(name).matches()) {
            problems.add(where, path, "expected an action name of letters, digits, '_', '.' and '-'");
        }
        unknownKeys(user, path, KEYS);
        if (user.get("on") instanceof ConfigObject on) {
            unknownKeys(on, path + ".on", ON_KEYS);
        }
        if (user.get("http") instanceof ConfigObject http) {
            unknownKeys(http, path + ".http", HTTP_KEYS);
        }
        Config block = user.toConfig().withFallback(patrol.getConfig("action-defaults"));
        SettingsReader reader = new SettingsReader(block);
        String check = reader.string("on.check");
        Set<Status> statuses = statuses(reader);
        String state = reader.string("on.state");
        if (state != null && !state.equals("hard")) {
            reader.problem("on.state", "expected hard (an action never fires on a soft state), got '" + state + "'");
        }
        ActionSettings.Where place = reader.oneOf("where", ActionSettings.Where.class);
        boolean shell = Boolean.TRUE.equals(reader.bool("shell"));
        String run = reader.optionalString("run").orElse(null);
        ActionSettings.Http http = user.containsKey("http") ? http(reader) : null;
        if ((run == null) == (http == null) && reader.isValid()) {
            reader.problem("run", "expected either run = \"command\" or http { url = ... }, exactly one of them");
        }
        placeholders(reader, "run", run);
        Duration timeout = reader.positiveDuration("timeout");
        Integer maxPerHour = reader.integer("max-per-hour", 1, 3600);
        Duration cooldown = reader.duration("cooldown");
        boolean dryRun = Boolean.TRUE.equals(reader.bool("dry-run"));
        boolean recheck = Boolean.TRUE.equals(reader.bool("recheck"));
        problems.addUnder(path, reader.problems(), where);
        List<Target> selected = targetsOf(check, user, path, block);
        if (selected != null && run != null && place == ActionSettings.Where.SSH) {
            requireSsh(selected, path, block);
        }
        if (problems.sorted().size() > before || selected == null) {
            return null;
        }
        return new ActionSettings(
                name,
                check,
                statuses,
                selected,
                place,
                run,
                shell,
                http,
                timeout,
                maxPerHour,
                cooldown,
                dryRun,
                recheck);
    }

    private Set<Status> statuses(SettingsReader reader) {
        Set<Status> statuses = EnumSet.noneOf(Status.class);
        for (String text : reader.stringList("on.status")) {
            Status status = null;
            for (Status candidate : Status.values()) {
                if (candidate.label().equals(text)) {
                    status = candidate;
                }
            }
            if (status == null) {
                reader.problem(
                        "on.status", "expected statuses among ok, warning, critical, unknown, got '" + text + "'");
            } else {
                statuses.add(status);
            }
        }
        return statuses;
    }

    private ActionSettings.Http http(SettingsReader reader) {
        String url = reader.string("http.url");
        String method = reader.string("http.method");
        Secret token = reader.secret("http.bearer-token");
        Map<String, String> headers = reader.has("http.headers") ? reader.stringMap("http.headers") : Map.of();
        if (method != null && !METHODS.contains(method)) {
            reader.problem("http.method", "expected one of DELETE, GET, POST, PUT, got '" + method + "'");
        }
        placeholders(reader, "http.url", url);
        if (url == null || method == null) {
            return null;
        }
        ActionSettings.Http http = new ActionSettings.Http(url, method, token, headers);
        try {
            String scheme = http.sample().getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                reader.problem("http.url", "expected an http or https URL, got '" + url + "'");
            }
        } catch (IllegalArgumentException e) {
            reader.problem("http.url", "expected a URL, got '" + url + "'");
        }
        return http;
    }

    private static void placeholders(SettingsReader reader, String key, String template) {
        if (template == null) {
            return;
        }
        Matcher matcher = PLACEHOLDER.matcher(template);
        while (matcher.find()) {
            String name = matcher.group(1);
            if (!VALUES.contains(name) && !(name.startsWith("label.") && name.length() > "label.".length())) {
                reader.problem(
                        key,
                        "expected placeholders among {target}, {host}, {check}, {status} and {label.NAME}, got {" + name
                                + "}");
            }
        }
    }

    /** The check's targets, narrowed by {@code on.targets}; {@code null} when the check is unknown or invalid. */
    private List<Target> targetsOf(String check, ConfigObject user, String path, Config block) {
        if (check == null) {
            return null;
        }
        CheckSettings settings = checks.get(check);
        if (settings == null) {
            boolean defined = patrol.root().get("checks") instanceof ConfigObject all && all.containsKey(check);
            if (!defined) {
                String hint = Suggestions.nearest(check, checks.keySet())
                        .map(nearest -> ", did you mean '" + nearest + "'?")
                        .orElse("");
                problems.add(
                        Origins.of(block.getValue("on.check")),
                        path + ".on.check",
                        "expected the name of a check in patrol.checks, there is no check '" + check + "'" + hint);
            }
            return null;
        }
        ConfigValue selector = user.get("on") instanceof ConfigObject on ? on.get("targets") : null;
        if (selector == null) {
            return settings.targets();
        }
        List<Target> chosen =
                TargetSelector.select(selector, path + ".on.targets", targets.targets(), targets.broken(), problems);
        return chosen == null
                ? null
                : chosen.stream().filter(settings.targets()::contains).toList();
    }

    /** A command over SSH needs a way to log in on every target: an identity file or a password. */
    private void requireSsh(List<Target> selected, String path, Config block) {
        Config global = patrol.hasPath("ssh") ? patrol.getConfig("ssh") : ConfigFactory.empty();
        for (Target target : selected) {
            Config own = target.settings().hasPath("ssh") ? target.settings().getConfig("ssh") : ConfigFactory.empty();
            Config ssh = own.withFallback(global);
            if (!ssh.hasPath("identity-file") && !ssh.hasPath("password-file") && !ssh.hasPath("password")) {
                problems.add(
                        Origins.of(block.getValue("run")),
                        path + ".run",
                        "expected SSH settings (identity-file or password-file in patrol.ssh or the target's ssh"
                                + " block) for target '" + target.name() + "', or where = local");
            }
        }
    }

    private void unknownKeys(ConfigObject block, String path, Set<String> known) {
        for (Map.Entry<String, ConfigValue> entry : block.entrySet()) {
            if (!known.contains(entry.getKey())) {
                String hint = Suggestions.nearest(entry.getKey(), known)
                        .map(nearest -> ", did you mean '" + nearest + "'?")
                        .orElseGet(() -> "; expected one of " + String.join(", ", new TreeSet<>(known)));
                problems.add(Origins.of(entry.getValue()), Origins.join(path, entry.getKey()), "unknown key" + hint);
            }
        }
    }
}
