package dev.patrol.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigResolveOptions;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.core.job.JobSettings;
import dev.patrol.core.logging.LoggingSettings;
import dev.patrol.core.plugin.PluginLoadException;
import dev.patrol.core.plugin.PluginRegistry;
import dev.patrol.transport.ssh.SshSettingsByTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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

        PluginsDir pluginsDir = pluginsDir(user, baseDir, problems, mainOrigin);
        PluginRegistry registry = pluginsDir == null ? null : registry(pluginsDir, problems);
        if (registry == null) {
            throw problems.exception();
        }
        Config reference = ConfigFactory.parseResources(registry.classLoader(), "reference.conf");
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
        CoreSettingsParser core = new CoreSettingsParser(patrol, baseDir);
        WebSettings web = core.web();
        LoggingSettings logging = core.logging();
        LimitsSettings limits = core.limits();
        Path stateDir = core.directory("state-dir");
        boolean allowFastChecks = core.allowFastChecks();
        core.reportTo(problems, mainOrigin);
        TargetParser.Parsed targets = TargetParser.parse(patrol, problems);
        Map<String, CheckSettings> checks =
                new CheckParser(registry, targets, unknown, allowFastChecks, problems).parse(patrol);
        SshSettingsByTarget ssh = SshSettingsParser.parse(patrol, targets.targets(), checks, problems);
        Map<String, JobSettings> jobs = JobParser.parse(patrol, targets, stateDir, baseDir, problems);
        ActionParser actionParser = new ActionParser(patrol, targets, checks, problems, baseDir);
        Map<String, ActionSettings> actions = actionParser.actions();
        ActionSettings.Limits actionLimits = actionParser.limits();
        RateLimitKeys.parse(patrol, problems);
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
                ssh);
    }

    /** Where plugins come from, and where the user said so (for problems with the jars). */
    private record PluginsDir(Path dir, ConfigOrigin where) {}

    /** Read from the user's files over core's own defaults: plugins are not loaded yet. */
    private static PluginsDir pluginsDir(Config user, Path baseDir, Problems problems, ConfigOrigin mainOrigin) {
        Config core = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf");
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
        CoreSettingsParser parser = new CoreSettingsParser(patrol, baseDir);
        Path dir = parser.directory("plugins-dir");
        parser.reportTo(problems, mainOrigin);
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
