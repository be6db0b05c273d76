package dev.patrol.core.cli;

import dev.patrol.api.InvalidSettingsException;
import dev.patrol.core.config.ConfigSummary;
import dev.patrol.core.config.PatrolSettings;
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
        PatrolSettings settings;
        try {
            settings = Configs.source(config).load();
        } catch (InvalidSettingsException e) {
            Configs.printProblems(e, System.out);
            System.out.println(
                    e.problems().size() == 1 ? "1 problem" : e.problems().size() + " problems");
            return 1;
        }
        for (String line : ConfigSummary.lines(settings)) {
            System.out.println(line);
        }
        return 0;
    }
}
