package dev.patrol.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The user's files: the main file, then every {@code conf.d/*.conf} beside it in sorted order, later files winning.
 * Each file is parsed on its own (with its includes) so that a check or target defined in two files can be told
 * apart from one merged by HOCON. Problems here are about files: missing, unreadable, bad syntax.
 */
final class ConfigFiles {
    /** One file as parsed, includes expanded. */
    record Unit(Path file, Config config) {}

    /** Every unit in merge order (main file first), and their merge. */
    record Read(List<Unit> units, Config merged) {}

    private ConfigFiles() {}

    /** Returns what could be read; a file that could not is a problem and left out. */
    static Read read(Path mainFile, Problems problems) {
        GlobIncluder includer = new GlobIncluder();
        ConfigParseOptions options = ConfigParseOptions.defaults()
                .setSyntax(ConfigSyntax.CONF)
                .setAllowMissing(false)
                .setIncluder(includer);
        List<Unit> units = new ArrayList<>();
        parse(mainFile, options, problems).ifPresent(units::add);
        confD(includer, mainFile, problems)
                .forEach(file -> parse(file, options, problems).ifPresent(units::add));
        Config merged = ConfigFactory.empty();
        for (Unit unit : units) {
            merged = unit.config().withFallback(merged);
        }
        return new Read(List.copyOf(units), merged);
    }

    private static Optional<Unit> parse(Path file, ConfigParseOptions options, Problems problems) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            String why = Files.exists(file) ? "it is not a readable file" : "it does not exist";
            problems.add(
                    ConfigOriginFactory.newFile(file.toString()), "file", "expected a readable config file, " + why);
            return Optional.empty();
        }
        try {
            Utf8Files.check(file);
            return Optional.of(new Unit(file, ConfigFactory.parseFile(file.toFile(), options)));
        } catch (GlobIncluder.NoMatch e) {
            problems.add(lineOf(file, e.pattern()), "include", e.expected());
            return Optional.empty();
        } catch (Utf8Files.NotUtf8 e) {
            problems.add(e.origin(), "file", e.expected());
            return Optional.empty();
        } catch (ConfigException e) {
            ConfigOrigin origin = e.origin() != null ? e.origin() : ConfigOriginFactory.newFile(file.toString());
            problems.add(origin, "syntax", Origins.bareMessage(e));
            return Optional.empty();
        }
    }

    /** What {@link GlobIncluder#confD} finds, or nothing and a problem when the folder cannot be listed. */
    private static Stream<Path> confD(GlobIncluder includer, Path mainFile, Problems problems) {
        try {
            return includer.confD(mainFile);
        } catch (ConfigException.IO e) {
            Path dir = mainFile.resolveSibling(GlobIncluder.CONF_D);
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            problems.add(ConfigOriginFactory.newFile(dir.toString()), "file", "expected a readable folder: " + cause);
            return Stream.empty();
        }
    }

    /** The first line of {@code file} that mentions {@code text} in quotes, or the file alone. */
    private static ConfigOrigin lineOf(Path file, String text) {
        ConfigOrigin origin = ConfigOriginFactory.newFile(file.toString());
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains('"' + text + '"')) {
                    return origin.withLineNumber(i + 1);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // Just read by the parser; without the line the file name still points the way.
        }
        return origin;
    }
}
