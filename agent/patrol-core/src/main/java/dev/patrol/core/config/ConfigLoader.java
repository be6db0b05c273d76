package dev.patrol.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigResolveOptions;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsReader;
import dev.patrol.core.job.JobSettings;
import dev.patrol.core.logging.LoggingSettings;
import dev.patrol.core.plugin.PluginLoadException;
import dev.patrol.core.plugin.PluginRegistry;
import dev.patrol.core.ratelimit.RateLimitSettings;
import dev.patrol.transport.ssh.SshSettingsByTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and validates the whole configuration: the main file, {@code conf.d/*.conf} beside it, include globs, every
 * {@code reference.conf} (core's and each plugin's), environment substitutions; then rejects unknown keys and builds
 * the settings records, parsing each check with its plugin.
 *
 * <pre>{@code
 * ConfigLoader loader = ConfigLoader.discovering();
 * try {
 *     PatrolSettings settings = loader.load(Path.of("/etc/patrol/patrol.conf"));
 * } catch (InvalidSettingsException e) {
 *     e.problems().forEach(problem -> System.err.println(problem.format()));   // FILE:LINE: key.path: expected ...
 * }
 * }</pre>
 *
 * <p>{@code patrol.plugins-dir} is read from the user's files and core's defaults before any plugin is loaded, since
 * plugins decide which other keys are valid. A discovering loader keeps its {@link PluginRegistry} across loads while
 * the plugin jars stay the same, so a reload does not load the same classes again. Thread-safe.
 */
public final class ConfigLoader {
    private static final Logger logger = LoggerFactory.getLogger(ConfigLoader.class);

    /** Starts the one problem reported for a fault of the agent rather than of the file. */
    static final String AGENT_FAULT = "the agent failed to load this configuration (please report it): ";

    private final PluginRegistry fixedRegistry;
    private PluginRegistry cachedRegistry;
    private List<String> cachedJars;

    private ConfigLoader(PluginRegistry fixedRegistry) {
        this.fixedRegistry = fixedRegistry;
    }

    /** Finds plugins on the classpath and in {@code patrol.plugins-dir}. */
    public static ConfigLoader discovering() {
        return new ConfigLoader(null);
    }

    /** Uses exactly these plugins, whatever {@code patrol.plugins-dir} says (tests, embedding). */
    public static ConfigLoader with(PluginRegistry registry) {
        return new ConfigLoader(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * @throws InvalidSettingsException with every problem found, sorted by file and line; also, as one problem, for
     *     a fault of the agent itself while loading, so that no file, however wrong, ends in a stack trace
     */
    public PatrolSettings load(Path mainFile) {
        try {
            return read(mainFile);
        } catch (InvalidSettingsException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            logger.error("Loading the configuration failed on a fault of the agent file={}", mainFile, e);
            Problems problems = new Problems();
            problems.add(ConfigOriginFactory.newFile(mainFile.toString()), "patrol", AGENT_FAULT + e);
            throw problems.exception();
        }
    }

    private PatrolSettings read(Path mainFile) {
        // Relative includes need a folder to be relative to; "patrol.conf" alone has none.
        Path main = mainFile.getParent() == null ? Path.of(".").resolve(mainFile) : mainFile;
        Path baseDir = main.getParent();
        Problems problems = new Problems();
        ConfigFiles.Read files = ConfigFiles.read(main, problems);
        if (!problems.isEmpty()) {
            throw problems.exception();
        }
        DuplicateFinder.find(files.units().stream().map(ConfigFiles.Unit::file).toList(), problems);
        Config user = files.merged();
        ConfigOrigin mainOrigin = ConfigOriginFactory.newFile(main.toString());

        Config agentReference = ReferenceFiles.agent();
        PluginsDir pluginsDir = pluginsDir(user, agentReference, baseDir, problems, mainOrigin);
        PluginRegistry registry = pluginsDir == null ? null : registry(pluginsDir, problems);
        if (registry == null) {
            throw problems.exception();
        }
        Config reference = ReferenceFiles.withPlugins(agentReference, registry.classLoader());
        Config full;
        try {
            full = user.withFallback(reference).resolve(ConfigResolveOptions.defaults());
        } catch (ConfigException e) {
            problems.add(Origins.first(e.origin()), "substitution", Origins.bareMessage(e));
            throw problems.exception();
        }

        ConfigObject userView = KeyChecker.userView(user.root(), full.root());
        Set<String> unknown = new KeyChecker(reference.root(), registry, problems).check(userView);
        if (!(full.root().get("patrol") instanceof ConfigObject)) {
            throw problems.exception();
        }
        Config patrol = full.getConfig("patrol");
        WebSettings web = block(patrol, "web", block -> WebSettings.from(block, baseDir), problems, mainOrigin);
        LoggingSettings logging = block(patrol, "logging", LoggingSettings::from, problems, mainOrigin);
        LimitsSettings limits = block(patrol, "limits", LimitsSettings::from, problems, mainOrigin);
        SettingsReader core = new SettingsReader(patrol);
        Path stateDir = directory(core, "state-dir", baseDir);
        boolean allowFastChecks = Boolean.TRUE.equals(core.bool("allow-fast-checks"));
        MetricsDetail metricsDetail = core.oneOf("metrics.detail", MetricsDetail.class);
        problems.addUnder("patrol", core.problems(), mainOrigin);
        TargetParser.Parsed targets = TargetParser.parse(patrol, problems);
        Map<String, CheckSettings> checks =
                new CheckParser(registry, targets, unknown, allowFastChecks, problems).parse(patrol);
        SshSettingsByTarget ssh = SshSettingsParser.parse(patrol, targets.targets(), problems);
        Map<String, JobSettings> jobs = JobParser.parse(patrol, targets, stateDir, baseDir, problems);
        ActionParser actionParser = new ActionParser(patrol, targets, checks, problems, baseDir);
        Map<String, ActionSettings> actions = actionParser.actions();
        ActionSettings.Limits actionLimits = actionParser.limits();
        Map<String, RateLimitSettings> rateLimits = RateLimitKeys.parse(patrol, problems);
        SshSettingsParser.checkFiles(patrol, SshSettingsParser.users(patrol, checks, jobs, actions), problems);
        if (!problems.isEmpty()) {
            throw problems.exception();
        }
        return new PatrolSettings(
                mainFile,
                web,
                logging,
                stateDir,
                pluginsDir.dir(),
                limits,
                targets.targets(),
                checks,
                full,
                jobs,
                actions,
                actionLimits,
                ssh,
                rateLimits,
                metricsDetail);
    }

    /** Where plugins come from, and where the user said so (for problems with the jars). */
    private record PluginsDir(Path dir, ConfigOrigin where) {}

    /**
     * One of the agent's own blocks ({@code web}, {@code logging}, {@code limits}), read into its record; {@code null}
     * with its problems, under {@code patrol.<key>}, when it is wrong.
     */
    private static <T> T block(
            Config patrol, String key, Function<Config, T> from, Problems problems, ConfigOrigin mainOrigin) {
        try {
            // Not a block at all: the key checker says so, and nothing inside it can be read.
            return from.apply(
                    patrol.root().get(key) instanceof ConfigObject block ? block.toConfig() : ConfigFactory.empty());
        } catch (InvalidSettingsException e) {
            problems.addUnder("patrol." + key, e.problems(), mainOrigin);
            return null;
        }
    }

    /** A directory key of {@code patrol}; a relative path is taken relative to the main file's folder. */
    private static Path directory(SettingsReader patrol, String key, Path baseDir) {
        String text = patrol.string(key);
        if (text == null) {
            return null;
        }
        try {
            if (text.isBlank()) {
                throw new InvalidPathException(text, "empty");
            }
            return baseDir.resolve(text);
        } catch (InvalidPathException e) {
            patrol.problem(key, "expected a directory path, got '" + text + "'");
            return null;
        }
    }

    /** Read from the user's files over the agent's own defaults: plugin jars are not loaded yet. */
    private static PluginsDir pluginsDir(
            Config user, Config core, Path baseDir, Problems problems, ConfigOrigin mainOrigin) {
        Config patrol;
        try {
            patrol = user.withFallback(core)
                    .resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true))
                    .getConfig("patrol");
        } catch (ConfigException.WrongType e) {
            problems.add(Origins.first(e.origin()), "patrol", "expected a block { ... }");
            return null;
        } catch (ConfigException e) {
            // A substitution that cannot be resolved even leniently, such as one that refers to itself.
            problems.add(Origins.first(e.origin()), "substitution", Origins.bareMessage(e));
            return null;
        }
        SettingsReader reader = new SettingsReader(patrol);
        Path dir = directory(reader, "plugins-dir", baseDir);
        problems.addUnder("patrol", reader.problems(), mainOrigin);
        ConfigOrigin where = patrol.getValue("plugins-dir").origin();
        return dir == null ? null : new PluginsDir(dir, Origins.isUserFile(where) ? where : mainOrigin);
    }

    private PluginRegistry registry(PluginsDir pluginsDir, Problems problems) {
        try {
            return fixedRegistry != null ? fixedRegistry : discover(pluginsDir.dir());
        } catch (PluginLoadException e) {
            e.problems().forEach(problem -> problems.add(pluginsDir.where(), "patrol.plugins-dir", problem));
            return null;
        }
    }

    /** A new registry only when the jars changed; the old one stays open for checks still running from it. */
    private synchronized PluginRegistry discover(Path pluginsDir) {
        List<String> jars = new ArrayList<>();
        jars.add(pluginsDir.toAbsolutePath().normalize().toString());
        for (Path jar : PluginRegistry.jars(pluginsDir)) {
            try {
                jars.add(jar.getFileName() + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar));
            } catch (IOException e) {
                jars.add(jar.getFileName() + " unreadable");
            }
        }
        if (cachedRegistry == null || !jars.equals(cachedJars)) {
            cachedRegistry = PluginRegistry.discover(pluginsDir);
            cachedJars = jars;
        }
        return cachedRegistry;
    }
}
