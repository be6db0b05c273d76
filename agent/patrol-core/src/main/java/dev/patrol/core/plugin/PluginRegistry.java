package dev.patrol.core.plugin;

import dev.patrol.api.CheckPlugin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The check plugins the agent knows, by {@link CheckPlugin#type() type}: those on the agent's classpath and those in
 * the {@code *.jar} files of a plugins directory ({@code plugins.d/}), found with {@link ServiceLoader}.
 *
 * <pre>{@code
 * PluginRegistry registry = PluginRegistry.discover(Path.of("/etc/patrol/plugins.d"));
 * CheckPlugin http = registry.plugin("http").orElseThrow();
 * Config reference = ConfigFactory.parseResources(registry.classLoader(), "reference.conf");
 * }</pre>
 *
 * <p>The jars share one class loader whose parent is the agent's, so a plugin sees the SPI and Typesafe Config of the
 * agent, and {@link #classLoader()} finds every plugin's {@code reference.conf}. Immutable and thread-safe once built.
 */
public final class PluginRegistry implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(PluginRegistry.class);
    private static final Pattern KEBAB_CASE = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final String SERVICE_FILE = "META-INF/services/" + CheckPlugin.class.getName();
    /** Bounds the ServiceLoader loop even if a broken provider made it fail on every step. */
    private static final int MAX_PROVIDERS = 1_000;

    private final Map<String, CheckPlugin> plugins;
    private final ClassLoader classLoader;
    private final URLClassLoader jarLoader;

    /** A registry of exactly these plugins, for tests and embedding; their class loader is the agent's. */
    public PluginRegistry(List<? extends CheckPlugin> plugins) {
        this(plugins, PluginRegistry.class.getClassLoader(), null, null);
    }

    private PluginRegistry(
            List<? extends CheckPlugin> found, ClassLoader classLoader, URLClassLoader jarLoader, Path pluginsDir) {
        List<String> problems = new ArrayList<>();
        Map<String, CheckPlugin> byType = new TreeMap<>();
        for (CheckPlugin plugin : found) {
            register(plugin, byType, problems, jarLoader, pluginsDir);
        }
        if (!problems.isEmpty()) {
            closeQuietly(jarLoader);
            throw new PluginLoadException(problems);
        }
        this.plugins = Collections.unmodifiableMap(byType);
        this.classLoader = classLoader;
        this.jarLoader = jarLoader;
    }

    /**
     * Finds the plugins on the agent's classpath and in every {@code *.jar} of {@code pluginsDir}, taken in file name
     * order. A missing directory means no extra jars.
     *
     * @throws PluginLoadException naming the jar of each duplicate type, malformed type or broken provider
     */
    public static PluginRegistry discover(Path pluginsDir) {
        return discover(pluginsDir, PluginRegistry.class.getClassLoader());
    }

    static PluginRegistry discover(Path pluginsDir, ClassLoader parent) {
        List<Path> jars = jars(pluginsDir);
        URLClassLoader jarLoader = jars.isEmpty() ? null : new URLClassLoader("patrol-plugins", urls(jars), parent);
        ClassLoader loader = jarLoader == null ? parent : jarLoader;
        List<CheckPlugin> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Iterator<CheckPlugin> providers =
                ServiceLoader.load(CheckPlugin.class, loader).iterator();
        for (int i = 0; i < MAX_PROVIDERS; i++) {
            try {
                if (!providers.hasNext()) {
                    break;
                }
                found.add(providers.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                problems.add(describeBrokenProvider(e, jars, pluginsDir));
            }
        }
        if (!problems.isEmpty()) {
            closeQuietly(jarLoader);
            throw new PluginLoadException(problems);
        }
        PluginRegistry registry = new PluginRegistry(found, loader, jarLoader, pluginsDir);
        logger.info("Loaded check plugins types={} jars={}", registry.types(), jars.size());
        return registry;
    }

    /** The {@code *.jar} files directly in {@code pluginsDir}, sorted by name; empty if the directory is missing. */
    public static List<Path> jars(Path pluginsDir) {
        if (!Files.exists(pluginsDir)) {
            return List.of();
        }
        if (!Files.isDirectory(pluginsDir)) {
            throw new PluginLoadException(List.of(pluginsDir + " is not a directory"));
        }
        try (Stream<Path> files = Files.list(pluginsDir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar"))
                    .filter(Files::isRegularFile)
                    .sorted((a, b) ->
                            a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new PluginLoadException(List.of("cannot list " + pluginsDir + ": " + e.getMessage()));
        }
    }

    public Optional<CheckPlugin> plugin(String type) {
        return Optional.ofNullable(plugins.get(type));
    }

    /** The known types, sorted. */
    public Set<String> types() {
        return plugins.keySet();
    }

    /**
     * The loader that sees the agent and every plugin jar; read {@code reference.conf} through it so that the
     * {@code patrol.plugin-defaults.<type>} of a {@code plugins.d} jar are merged.
     */
    public ClassLoader classLoader() {
        return classLoader;
    }

    /** Closes the plugin jars. Only call it once no check parsed by these plugins runs anymore. */
    @Override
    public void close() throws IOException {
        if (jarLoader != null) {
            jarLoader.close();
        }
    }

    private static void register(
            CheckPlugin plugin,
            Map<String, CheckPlugin> byType,
            List<String> problems,
            URLClassLoader jarLoader,
            Path pluginsDir) {
        String source = sourceOf(plugin.getClass(), jarLoader, pluginsDir);
        String type;
        try {
            type = plugin.type();
        } catch (RuntimeException e) {
            problems.add("plugin " + source + " failed to tell its type: " + e);
            return;
        }
        if (type == null || !KEBAB_CASE.matcher(type).matches()) {
            problems.add("plugin " + source + " has type '" + type + "', expected kebab-case such as 'ssh-command'");
            return;
        }
        CheckPlugin existing = byType.putIfAbsent(type, plugin);
        if (existing != null) {
            problems.add("plugin type '" + type + "' of " + source + " is already provided by "
                    + sourceOf(existing.getClass(), jarLoader, pluginsDir));
        }
    }

    /** "dev.example.PingPlugin in plugins.d/ping.jar", or "... on the agent classpath (patrol-plugin-http.jar)". */
    private static String sourceOf(Class<?> type, URLClassLoader jarLoader, Path pluginsDir) {
        CodeSource code = type.getProtectionDomain().getCodeSource();
        String location = code == null || code.getLocation() == null
                ? ""
                : code.getLocation().getPath();
        String fileName = location.isEmpty()
                ? "unknown location"
                : Path.of(location).getFileName().toString();
        if (jarLoader != null && type.getClassLoader() == jarLoader) {
            return type.getName() + " in " + pluginsDir.resolve(fileName);
        }
        return type.getName() + " on the agent classpath (" + fileName + ")";
    }

    /** ServiceLoader names the provider class; find the jar that declared it, so the user knows what to remove. */
    private static String describeBrokenProvider(Throwable error, List<Path> jars, Path pluginsDir) {
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        Throwable cause = error.getCause();
        String detail = cause == null ? "" : " (" + cause + ")";
        for (Path jar : jars) {
            for (String className : declaredProviders(jar)) {
                if (message.contains(className)) {
                    return "plugin jar " + pluginsDir.resolve(jar.getFileName()) + ": " + message + detail;
                }
            }
        }
        return "check plugin on the agent classpath or in " + pluginsDir + ": " + message + detail;
    }

    private static List<String> declaredProviders(Path jar) {
        try (var zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(SERVICE_FILE);
            if (entry == null) {
                return List.of();
            }
            String text = new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
            return text.lines()
                    .map(line -> line.replaceAll("#.*", "").strip())
                    .filter(line -> !line.isEmpty())
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static URL[] urls(List<Path> jars) {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalStateException("a file path is always a valid URL: " + jars.get(i), e);
            }
        }
        return urls;
    }

    private static void closeQuietly(URLClassLoader loader) {
        if (loader == null) {
            return;
        }
        try {
            loader.close();
        } catch (IOException e) {
            logger.debug("Could not close plugin class loader", e);
        }
    }
}
