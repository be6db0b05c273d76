package dev.patrol.core.cli;

import dev.patrol.api.InvalidSettingsException;
import dev.patrol.core.ConfigSource;
import dev.patrol.core.config.ConfigSummary;
import dev.patrol.core.config.PatrolSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code patrol check-config FILE}: validate, then print a summary (exit 0) or every problem (exit 1). */
@Command(
        name = "check-config",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description =
                "Validate a config file (and its conf.d/); print a summary, or each error as FILE:LINE: key: expected.")
final class CheckConfigCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "Main config file.")
    private Path config;

    @Override
    public Integer call() {
        return check(Configs.source(config), System.out);
    }

    /** Validates what {@code source} loads and prints the outcome to {@code out}; returns the exit code. */
    static int check(ConfigSource source, PrintStream out) {
        PatrolSettings settings;
        try {
            settings = source.load();
        } catch (InvalidSettingsException e) {
            Configs.printProblems(e, out);
            out.println(ConfigSummary.count(e.problems().size(), "problem"));
            return 1;
        } catch (RuntimeException e) {
            // The loader turns its own faults into a problem; this is the last guard against a stack trace.
            out.println("patrol: the agent failed to load this configuration (please report it): " + e);
            out.println("1 problem");
            return 1;
        }
        for (String line : ConfigSummary.lines(settings)) {
            out.println(line);
        }
        return 0;
    }
}
