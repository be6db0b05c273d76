package dev.patrol.e2e;

import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckResult;
import dev.patrol.api.CommandResult;
import dev.patrol.api.Sample;
import dev.patrol.api.Target;
import dev.patrol.plugin.sshcommand.SshCommandPlugin;
import dev.patrol.testing.PluginTestSupport;
import dev.patrol.testing.TestCheckContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs of the ssh-command plugin on canned command output, through its public entry point only, for tests of what the
 * agent then does with the samples. Stateless and thread-safe.
 */
final class SshCommandRuns {
    /** The highest {@code max-samples}: the agent's per-run limit less the sample the exit status takes. */
    static final int MAX_SAMPLES = Sample.MAX_PER_RUN - 1;

    private static final Target TARGET = Target.of("web-1", "127.0.0.1", 22);

    private SshCommandRuns() {}

    /** A check of this plugin parsed from {@code hocon} over its defaults. */
    static CheckDefinition parse(String hocon) {
        return new SshCommandPlugin()
                .parse(PluginTestSupport.block(
                        hocon, PluginTestSupport.pluginDefaults(SshCommandPlugin.class, SshCommandPlugin.TYPE)));
    }

    /** The check's result when the command exits 0 having printed {@code stdout}. */
    static CheckResult run(String hocon, String stdout) throws Exception {
        CommandResult exited = new CommandResult(0, "", stdout, "", false);
        TestCheckContext context = TestCheckContext.builder()
                .ssh((target, command, maxOutputBytes, ctx) -> CompletableFuture.completedFuture(exited))
                .build();
        return parse(hocon).run(TARGET, context).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
