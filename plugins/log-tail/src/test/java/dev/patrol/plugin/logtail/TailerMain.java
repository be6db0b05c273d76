package dev.patrol.plugin.logtail;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Target;
import dev.patrol.testing.PluginTestSupport;
import dev.patrol.testing.TestCheckContext;
import dev.patrol.testing.transport.TestTransports;
import dev.patrol.transport.ssh.SshSessionPool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in agent for {@link LogTailKillIT}, run as a JVM of its own so that the test can kill it with SIGKILL at any
 * instant: the core's real SSH session pool and the plugin's real check, run back to back, as the scheduler would.
 *
 * <p>Arguments: state-dir user identity-file known-hosts host port path.
 */
public final class TailerMain {

    private TailerMain() {}

    public static void main(String[] args) throws Exception {
        Path stateDir = Path.of(args[0]);
        var ssh = TestTransports.sshSettings(Map.of("user", args[1], "identity-file", args[2], "known-hosts", args[3]));
        Target target = Target.of("sshd", args[4], Integer.parseInt(args[5]));
        LogTailCheck check = (LogTailCheck) new LogTailPlugin()
                .parse(PluginTestSupport.block(
                        "start-at = beginning, max-read-per-run = 256KiB, paths = [\"" + args[6] + "\"]",
                        PluginTestSupport.pluginDefaults(LogTailPlugin.class, LogTailPlugin.TYPE)));
        ExecutorService blocking = Executors.newFixedThreadPool(2);
        try (SshSessionPool pool = TestTransports.sshPool(ssh, Map.of())) {
            while (true) {
                TestCheckContext context = TestCheckContext.builder()
                        .check("logs")
                        .timeout(Duration.ofSeconds(20))
                        .stateDir(stateDir)
                        .ssh(pool)
                        .blockingExecutor(blocking)
                        .build();
                CheckResult result =
                        check.run(target, context).toCompletableFuture().get(60, TimeUnit.SECONDS);
                System.out.println(result.status() + " " + result.summary() + " | "
                        + result.output().replace("\n", " | "));
                Thread.sleep(20);
            }
        }
    }
}
