package dev.patrol.core.cli;

import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsProblem;
import dev.patrol.core.ConfigSource;
import dev.patrol.core.config.ConfigLoader;
import java.io.PrintStream;
import java.nio.file.Path;

/** How the commands read a configuration file and report its problems. */
final class Configs {
    private Configs() {}

    /** A source that re-reads {@code file} on every load, keeping discovered plugins while plugins.d is unchanged. */
    static ConfigSource source(Path file) {
        ConfigLoader loader = ConfigLoader.discovering();
        return () -> loader.load(file);
    }

    /** One {@code FILE:LINE: key.path: expected} line per problem. */
    static void printProblems(InvalidSettingsException e, PrintStream out) {
        for (SettingsProblem problem : e.problems()) {
            out.println(problem.format());
        }
    }
}
