package dev.patrol.core.cli;

import dev.patrol.api.Sample;
import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.config.PatrolSettings;
import dev.patrol.core.engine.CheckEngine;
import dev.patrol.core.metrics.AgentMetrics;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.RunRecord;
import dev.patrol.transport.http.HttpClientPool;
import dev.patrol.transport.ssh.SshMetrics;
import dev.patrol.transport.ssh.SshSessionPool;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code patrol test-check --config FILE CHECK [TARGET]}: run one check once, now, against one or all of its targets,
 * and print status, reason, summary, output, samples and timing. Exits with the worst Nagios status code, so it can
 * be scripted like a Nagios plugin.
 */
@Command(
        name = "test-check",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Run one check once now and print its result, samples and timing.")
final class TestCheckCommand implements Callable<Integer> {

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "Main config file.")
    private Path config;

    @Parameters(index = "0", paramLabel = "CHECK", description = "Name of the check.")
    private String checkName;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TARGET", description = "Only this target.")
    private String targetName;

    @Override
    public Integer call() throws Exception {
        PatrolSettings settings = Configs.load(config, System.err);
        Configs.Picked<CheckSettings> picked = settings == null
                ? null
                : Configs.pick("check", checkName, settings.checks(), CheckSettings::targets, targetName, System.err);
        if (picked == null) {
            return 3;
        }
        CheckSettings check = picked.entry();
        List<Target> targets = picked.targets();
        int worst = 0;
        try (HttpClientPool http = new HttpClientPool();
                SshSessionPool ssh = new SshSessionPool(settings.ssh(), new SshMetrics());
                CheckEngine engine = new CheckEngine(
                        settings.limits(),
                        http,
                        ssh,
                        new ResultStore(),
                        new AgentMetrics(() -> 0),
                        Clock.systemUTC())) {
            engine.updateStateDir(settings.stateDir());
            for (Target target : targets) {
                RunRecord run = engine.run(check, target).join();
                print(check, run, System.out);
                worst = Math.max(worst, run.result().status().code());
            }
        }
        return worst;
    }

    static void print(CheckSettings check, RunRecord run, PrintStream out) {
        var result = run.result();
        out.printf(
                "%s (%s) against %s: %s in %d ms, %d attempt%s%n",
                check.name(),
                check.type(),
                run.target(),
                result.status(),
                run.duration().toMillis(),
                run.attempts(),
                run.attempts() == 1 ? "" : "s");
        out.println("  result:  " + run.outcome().label());
        out.println("  reason:  " + result.reason().label());
        out.println("  summary: " + result.summary());
        if (!result.output().isEmpty()) {
            out.println("  output:");
            result.output().lines().forEach(line -> out.println("    " + line));
        }
        if (!result.samples().isEmpty()) {
            out.println("  samples:");
            for (Sample sample : result.samples()) {
                out.println("    " + sample.name() + labels(sample.labels()) + " " + sample.value());
            }
        }
    }

    private static String labels(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return "";
        }
        return labels.entrySet().stream()
                .map(label -> label.getKey() + "=\"" + label.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }
}
