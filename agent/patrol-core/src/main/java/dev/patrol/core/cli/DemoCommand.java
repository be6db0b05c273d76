package dev.patrol.core.cli;

import dev.patrol.api.InvalidSettingsException;
import dev.patrol.core.demo.Demo;
import dev.patrol.core.demo.DemoSshServer;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code patrol demo}: starts real targets on loopback and an agent monitoring them, with no setup. The newcomer's
 * first command. Its temp folder (private keys included) is deleted however it ends: a failed start, Ctrl-C, SIGTERM.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Start embedded targets on loopback and monitor them; open the printed URL.")
final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--listen",
            defaultValue = "127.0.0.1:9740",
            description = "Web endpoint (default: ${DEFAULT-VALUE}).")
    private String listen;

    @Override
    public Integer call() throws Exception {
        Demo demo;
        Signals.catchHangups(); // before the endpoint answers, as in RunCommand
        try {
            demo = Demo.start(listen);
        } catch (UncheckedIOException e) {
            System.err.println("patrol: " + e.getCause().getMessage() + " (choose another with --listen)");
            return 1;
        } catch (InvalidSettingsException e) {
            // The demo config ships with Patrol, so this is a bug, not a user error.
            Configs.printProblems(e, System.err);
            return 1;
        }
        String base = "http://" + listen.replace("0.0.0.0", "127.0.0.1").replaceFirst(":\\d+$", "") + ":"
                + demo.agent().port();
        DemoSshServer ssh = demo.ssh();
        System.out.println();
        System.out.println("Patrol demo is running. Checks start within their first interval (5-15 s).");
        System.out.println("  status page:  " + base + "/");
        System.out.println("  metrics:      " + base + "/metrics");
        System.out.println("  config used:  " + demo.configFile() + " (deleted when the demo stops)");
        System.out.println("  demo targets: http://" + demo.targets().address() + "/{health,flaky,slow}");
        System.out.println("  demo SSH:     ssh -p " + ssh.port() + " -i " + ssh.identityFile()
                + " -o UserKnownHostsFile=" + ssh.knownHosts() + " " + ssh.user() + "@" + ssh.host() + " check_load");
        System.out.println("Press Ctrl-C to stop.");
        System.out.println();
        return RunCommand.serve(demo.agent(), demo::close);
    }
}
