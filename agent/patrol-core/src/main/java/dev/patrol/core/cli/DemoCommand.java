package dev.patrol.core.cli;

import dev.patrol.api.InvalidSettingsException;
import dev.patrol.core.Agent;
import dev.patrol.core.demo.DemoConfig;
import dev.patrol.core.demo.DemoSshServer;
import dev.patrol.core.demo.DemoTargets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code patrol demo}: starts real targets on loopback and an agent monitoring them, with no setup. The newcomer's
 * first command.
 */
@Command(name = "demo", description = "Start embedded targets on loopback and monitor them; open the printed URL.")
final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--listen",
            defaultValue = "127.0.0.1:9740",
            description = "Web endpoint (default: ${DEFAULT-VALUE}).")
    private String listen;

    @Override
    public Integer call() throws Exception {
        Path dir = DemoConfig.directory();
        DemoTargets targets = DemoTargets.start();
        DemoSshServer ssh = null;
        Path configFile;
        Agent agent = null;
        try {
            ssh = DemoSshServer.start(dir.resolve("ssh"));
            configFile = DemoConfig.write(dir, targets, ssh, listen);
            agent = Agent.start(Configs.source(configFile));
        } catch (java.io.UncheckedIOException e) {
            System.err.println("patrol: " + e.getCause().getMessage() + " (choose another with --listen)");
            return 1;
        } catch (InvalidSettingsException e) {
            // The demo config ships with Patrol, so this is a bug, not a user error.
            Configs.printProblems(e, System.err);
            return 1;
        } finally {
            if (agent == null) {
                // Nothing is monitoring them: the embedded servers' threads must not keep the JVM alive.
                targets.close();
                if (ssh != null) {
                    ssh.close();
                }
            }
        }
        return serve(agent, targets, ssh, configFile);
    }

    private Integer serve(Agent agent, DemoTargets targets, DemoSshServer ssh, Path configFile) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(targets::close, "patrol-demo-stop"));
        Runtime.getRuntime().addShutdownHook(new Thread(ssh::close, "patrol-demo-ssh-stop"));
        String base =
                "http://" + listen.replace("0.0.0.0", "127.0.0.1").replaceFirst(":\\d+$", "") + ":" + agent.port();
        System.out.println();
        System.out.println("Patrol demo is running. Checks start within their first interval (5-15 s).");
        System.out.println("  status page:  " + base + "/");
        System.out.println("  metrics:      " + base + "/metrics");
        System.out.println("  config used:  " + configFile);
        System.out.println("  demo targets: http://" + targets.address() + "/{health,flaky,slow}");
        System.out.println("  demo SSH:     ssh -p " + ssh.port() + " -i " + ssh.identityFile()
                + " -o UserKnownHostsFile=" + ssh.knownHosts() + " " + ssh.user() + "@" + ssh.host() + " check_load");
        System.out.println("Press Ctrl-C to stop.");
        System.out.println();
        return RunCommand.serve(agent);
    }
}
