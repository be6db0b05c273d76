package dev.patrol.core.cli;

import dev.patrol.api.InvalidSettingsException;
import dev.patrol.core.Agent;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code patrol run --config FILE}: the service, in the foreground, until SIGTERM. SIGHUP reloads. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Run the agent in the foreground; SIGHUP or POST /-/reload reloads the config.")
final class RunCommand implements Callable<Integer> {
    private static final Logger logger = LoggerFactory.getLogger(RunCommand.class);

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "Main config file; conf.d/*.conf beside it is merged in.")
    private Path config;

    @Override
    public Integer call() throws InterruptedException {
        Agent agent;
        Signals.catchHangups(); // before the endpoint answers: a reload sent at once must not stop the JVM
        try {
            agent = Agent.start(Configs.source(config));
        } catch (java.io.UncheckedIOException e) {
            System.err.println("patrol: " + e.getCause().getMessage());
            return 1;
        } catch (InvalidSettingsException e) {
            System.err.println("patrol: refusing to start, the configuration has problems:");
            Configs.printProblems(e, System.err);
            return 1;
        }
        return serve(agent, agent::close);
    }

    /**
     * Blocks until the JVM is asked to stop (SIGTERM, SIGINT), reloading {@code agent} on SIGHUP; then runs
     * {@code stop}, which closes the agent and whatever else the command started, from the shutdown hook.
     */
    static int serve(Agent agent, Runnable stop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Signals.onHangup(() -> {
            logger.atInfo().log("SIGHUP received, reloading");
            agent.reload();
        });
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                stop.run();
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "patrol-shutdown"));
        stopped.await();
        return 0;
    }
}
