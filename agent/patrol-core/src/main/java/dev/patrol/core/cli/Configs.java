package dev.patrol.core.cli;

import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsProblem;
import dev.patrol.api.Target;
import dev.patrol.core.ConfigSource;
import dev.patrol.core.config.ConfigLoader;
import dev.patrol.core.config.PatrolSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** How the commands read a configuration file, pick what it defines by name, and report what is wrong. */
final class Configs {
    private Configs() {}

    /** A source that re-reads {@code file} on every load, keeping discovered plugins while plugins.d is unchanged. */
    static ConfigSource source(Path file) {
        ConfigLoader loader = ConfigLoader.discovering();
        return () -> loader.load(file);
    }

    /** The settings in {@code file}, or null after printing each of its problems to {@code err}. */
    static PatrolSettings load(Path file, PrintStream err) {
        try {
            return source(file).load();
        } catch (InvalidSettingsException e) {
            printProblems(e, err);
            return null;
        }
    }

    /** One {@code FILE:LINE: key.path: expected} line per problem. */
    static void printProblems(InvalidSettingsException e, PrintStream out) {
        for (SettingsProblem problem : e.problems()) {
            out.println(problem.format());
        }
    }

    /** A check or job a command was asked for by name, with the targets it is to run against. */
    record Picked<T>(T entry, List<Target> targets) {}

    /**
     * The {@code kind} (check, job) called {@code name} in {@code all}, with its targets, or only the one called
     * {@code only} when that is not null; null after telling {@code err} which there are.
     */
    static <T> Picked<T> pick(
            String kind,
            String name,
            Map<String, T> all,
            Function<T, List<Target>> targetsOf,
            String only,
            PrintStream err) {
        T entry = all.get(name);
        if (entry == null) {
            err.println(
                    "patrol: no " + kind + " named '" + name + "'; " + kind + "s: " + String.join(", ", all.keySet()));
            return null;
        }
        List<Target> targets = targetsOf.apply(entry);
        List<Target> chosen = targets.stream()
                .filter(target -> only == null || target.name().equals(only))
                .toList();
        if (chosen.isEmpty()) {
            err.println("patrol: " + kind + " '" + name + "' has no target named '" + only + "'; targets: "
                    + targets.stream().map(Target::name).collect(Collectors.joining(", ")));
            return null;
        }
        return new Picked<>(entry, chosen);
    }
}
