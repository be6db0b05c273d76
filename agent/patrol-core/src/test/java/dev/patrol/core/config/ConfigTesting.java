package dev.patrol.core.config;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsProblem;
import dev.patrol.core.plugin.PluginRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Shared helpers for config tests: a loader with the test plugins, and files written into a temp dir. */
final class ConfigTesting {

    private ConfigTesting() {}

    /** A loader that knows the test plugins {@code probe} and {@code ping}. */
    static ConfigLoader loader() {
        return ConfigLoader.with(new PluginRegistry(List.of(new ProbePlugin(), new PingPlugin())));
    }

    /** Writes {@code text} to {@code dir/name}, creating folders. */
    static Path write(Path dir, String name, String text) {
        Path file = dir.resolve(name);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The formatted problems of a file that must not load, with {@code dir/} removed from every file name. */
    static List<String> problems(Path file, Path dir) {
        InvalidSettingsException e = catchThrowableOfType(InvalidSettingsException.class, () -> loader().load(file));
        if (e == null) {
            throw new AssertionError(file + " loaded, but problems were expected");
        }
        return e.problems().stream()
                .map(SettingsProblem::format)
                .map(line -> line.replace(dir + "/", ""))
                .toList();
    }
}
