package dev.patrol.core.config;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsProblem;
import dev.patrol.core.plugin.PluginRegistry;
import dev.patrol.testing.ServerPaths;
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

    /**
     * Writes {@code text} as {@link #write} does, with its {@code "/etc/patrol/...} paths moved under {@code dir} and
     * each such file created (a key 0600, as OpenSSH wants), and a known_hosts file set when the text sets none: the
     * files a config that reaches targets over SSH needs before it loads, as on a server.
     */
    static Path writeWithSshFiles(Path dir, String name, String text) {
        Path etc = dir.resolve("etc/patrol");
        String moved = ServerPaths.moveUnder(text, etc);
        if (!text.contains("known-hosts")) {
            Path knownHosts = ServerPaths.placeholder(etc.resolve("known_hosts"));
            moved += "\npatrol.ssh.known-hosts = \"" + knownHosts + "\"\n";
        }
        return write(dir, name, moved);
    }

    /** The formatted problems of a file that must not load, with {@code dir/} removed from every file name. */
    static List<String> problems(Path file, Path dir) {
        return problems(loader(), file, dir);
    }

    /** As {@link #problems(Path, Path)}, loaded by {@code loader} (one with other plugins). */
    static List<String> problems(ConfigLoader loader, Path file, Path dir) {
        InvalidSettingsException e = catchThrowableOfType(InvalidSettingsException.class, () -> loader.load(file));
        if (e == null) {
            throw new AssertionError(file + " loaded, but problems were expected");
        }
        return e.problems().stream()
                .map(SettingsProblem::format)
                .map(line -> line.replace(dir + "/", ""))
                .toList();
    }
}
