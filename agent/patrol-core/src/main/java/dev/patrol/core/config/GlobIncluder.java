package dev.patrol.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigParseable;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Lets {@code include "conf.d/*.conf"} take every matching file, merged in sorted order so that a later file wins;
 * plain HOCON includes take exactly one file. Names without {@code * ? [ {} keep their usual meaning. A glob is
 * relative to the including file; one that matches nothing includes nothing, unless written
 * {@code include required("conf.d/*.conf")}.
 *
 * <p>It is also how {@code conf.d/} is read: {@link #confD} lists the files an {@code include "conf.d/*.conf"} at the
 * end of the main file would take, less those an include already took in, so no file is merged twice. Thread-safe;
 * one per load.
 */
final class GlobIncluder implements ConfigIncluder, ConfigIncluderFile {
    /** The folder beside the main file whose {@code *.conf} files are merged after it. */
    static final String CONF_D = "conf.d";

    private static final int MAX_FILES = 10_000;

    private final ConfigIncluder fallback;
    private final Set<Path> included;

    GlobIncluder() {
        this(null, ConcurrentHashMap.newKeySet());
    }

    private GlobIncluder(ConfigIncluder fallback, Set<Path> included) {
        this.fallback = fallback;
        this.included = included;
    }

    @Override
    public ConfigIncluder withFallback(ConfigIncluder newFallback) {
        return fallback != null || newFallback == this ? this : new GlobIncluder(newFallback, included);
    }

    @Override
    public ConfigObject include(ConfigIncludeContext context, String what) {
        if (!isGlob(what)) {
            ConfigParseable plain = context.relativeTo(what);
            if (plain != null && plain.origin().filename() != null) {
                Path file = Path.of(plain.origin().filename());
                included.add(normalize(file));
                Utf8Files.check(file);
            } else if (!context.parseOptions().getAllowMissing() && isMissingFile(context, what)) {
                throw new NoMatch(what, false);
            }
            return fallback.include(context, what);
        }
        Path base = baseDirectory(context, what);
        if (base == null) {
            return missing(context, what, "globs are only supported in files");
        }
        return includeMatches(context, base, what.substring(fixedPrefix(what).length()), what);
    }

    @Override
    public ConfigObject includeFile(ConfigIncludeContext context, File file) {
        String what = file.getPath();
        if (!isGlob(what)) {
            if (!context.parseOptions().getAllowMissing() && !Files.exists(file.toPath())) {
                throw new NoMatch(what, false);
            }
            included.add(normalize(file.toPath()));
            Utf8Files.check(file.toPath());
            return fallback instanceof ConfigIncluderFile files
                    ? files.includeFile(context, file)
                    : ConfigFactory.parseFile(file, context.parseOptions()).root();
        }
        String prefix = fixedPrefix(what);
        Path base = Path.of(prefix.isEmpty() ? "." : prefix);
        return includeMatches(context, base, what.substring(prefix.length()), what);
    }

    /**
     * The files an include names, as this includer and Typesafe Config take them: every match of a glob, sorted; or
     * the one file, with {@code .conf} added when the name has no extension and the file does not exist as written.
     *
     * @param base the folder the name is relative to
     */
    static List<Path> resolve(Path base, String name) {
        if (isGlob(name)) {
            String prefix = fixedPrefix(name);
            return matches(prefix.isEmpty() ? base : base.resolve(prefix), name.substring(prefix.length()));
        }
        Path file = base.resolve(name);
        if (!Files.exists(file) && !file.getFileName().toString().contains(".")) {
            file = base.resolve(name + ".conf");
        }
        return Files.isRegularFile(file) ? List.of(file) : List.of();
    }

    /**
     * The {@code conf.d/*.conf} files beside {@code mainFile}, in merge order, that no include took in by the time the
     * stream reaches them: call it after parsing the main file, and parse each file as it comes, so that a file an
     * earlier one includes is not merged a second time. A main file may include {@code conf.d} itself, to put its own
     * keys after them.
     *
     * @throws ConfigException.IO when the folder cannot be listed
     */
    Stream<Path> confD(Path mainFile) {
        return matches(mainFile.resolveSibling(CONF_D), "*.conf").stream()
                .filter(file -> !included.contains(normalize(file)));
    }

    private ConfigObject includeMatches(ConfigIncludeContext context, Path base, String glob, String what) {
        List<Path> files = matches(base, glob);
        if (files.isEmpty()) {
            return missing(context, what, "no file matches");
        }
        ConfigParseOptions options =
                context.parseOptions().setAllowMissing(false).setOriginDescription(null);
        Config merged = ConfigFactory.empty();
        for (Path file : files) {
            included.add(normalize(file));
            Utf8Files.check(file);
            merged = ConfigFactory.parseFile(file.toFile(), options).withFallback(merged);
        }
        return merged.root();
    }

    private static List<Path> matches(Path base, String glob) {
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        int depth = glob.split("/", -1).length;
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(base, depth)) {
            files.filter(Files::isRegularFile)
                    .filter(file -> matcher.matches(base.relativize(file)))
                    .sorted(Comparator.comparing(file -> base.relativize(file).toString()))
                    .limit(MAX_FILES)
                    .forEach(found::add);
        } catch (IOException | UncheckedIOException e) {
            throw new ConfigException.IO(
                    ConfigOriginFactory.newFile(base.toString()), "cannot list: " + e.getMessage(), e);
        }
        return found;
    }

    /** The directory the glob starts from: its fixed leading folders, relative to the including file. */
    private static Path baseDirectory(ConfigIncludeContext context, String what) {
        String prefix = fixedPrefix(what);
        if (Path.of(prefix.isEmpty() ? "." : prefix).isAbsolute()) {
            return Path.of(prefix);
        }
        // relativeTo only answers with a file for a name that exists, so ask for the including file's own folder.
        ConfigParseable folder = context.relativeTo(".");
        if (folder == null || folder.origin().filename() == null) {
            return null;
        }
        Path dir = Path.of(folder.origin().filename()).normalize();
        return prefix.isEmpty() ? dir : dir.resolve(prefix);
    }

    /** "conf.d/" for "conf.d/*.conf": the leading folders that hold no glob character. */
    private static String fixedPrefix(String what) {
        int firstGlob = indexOfGlob(what);
        int slash = what.lastIndexOf('/', firstGlob);
        return slash < 0 ? "" : what.substring(0, slash + 1);
    }

    private static ConfigObject missing(ConfigIncludeContext context, String what, String why) {
        if (context.parseOptions().getAllowMissing()) {
            return ConfigFactory.empty().root();
        }
        throw new NoMatch(what, true);
    }

    /**
     * Whether a plain include names a file that is not there, as a file or as a classpath resource; Typesafe Config
     * would then report only "resource not found on classpath", without the line.
     */
    private static boolean isMissingFile(ConfigIncludeContext context, String what) {
        ConfigParseable folder = context.relativeTo(".");
        if (folder == null || folder.origin().filename() == null) {
            return false;
        }
        Path base = Path.of(folder.origin().filename());
        for (String extension : new String[] {"", ".conf", ".json", ".properties"}) {
            if (Files.exists(base.resolve(what + extension))) {
                return false;
            }
            String resource = what.startsWith("/") ? what.substring(1) : what;
            if (GlobIncluder.class.getClassLoader().getResource(resource + extension) != null) {
                return false;
            }
        }
        return true;
    }

    /**
     * A required include that found nothing: a glob that matches no file, or a plain name of a file that does not
     * exist. The include context does not say which file or line holds the include, so the loader looks for the
     * name in the file it was reading.
     */
    static final class NoMatch extends ConfigException.IO {
        private static final long serialVersionUID = 1L;

        private final String pattern;
        private final boolean glob;

        NoMatch(String pattern, boolean glob) {
            super(ConfigOriginFactory.newSimple("include"), "include required(\"" + pattern + "\"): no such file");
            this.pattern = pattern;
            this.glob = glob;
        }

        String pattern() {
            return pattern;
        }

        /** What the user should read, after the key path. */
        String expected() {
            return glob
                    ? "expected at least one file matching '" + pattern + "' (relative to the including file)"
                    : "expected a file named '" + pattern + "' (relative to the including file), it does not exist";
        }
    }

    private static boolean isGlob(String what) {
        return indexOfGlob(what) >= 0;
    }

    private static int indexOfGlob(String what) {
        for (int i = 0; i < what.length(); i++) {
            if ("*?[{".indexOf(what.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static Path normalize(Path file) {
        return file.toAbsolutePath().normalize();
    }
}
