package dev.patrol.plugin.logtail;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Sample;
import dev.patrol.api.SshSessions;
import dev.patrol.api.Target;
import dev.patrol.testing.PluginTestSupport;
import dev.patrol.testing.TestCheckContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Builds log-tail checks the way the agent does and runs them once. */
final class LogTailTestSupport {

    private LogTailTestSupport() {}

    static LogTailCheck check(String hocon) {
        return (LogTailCheck) new LogTailPlugin()
                .parse(PluginTestSupport.block(
                        hocon, PluginTestSupport.pluginDefaults(LogTailPlugin.class, LogTailPlugin.TYPE)));
    }

    static CheckResult run(LogTailCheck check, Target target, Path stateDir, SshSessions ssh) throws Exception {
        try (TestCheckContext context = TestCheckContext.builder()
                .check("logs")
                .timeout(Duration.ofSeconds(30))
                .stateDir(stateDir)
                .ssh(ssh)
                .blockingThreads(2)
                .build()) {
            return check.run(target, context).toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    static CheckResult runLocal(LogTailCheck check, Path stateDir) throws Exception {
        return run(check, check.implicitTarget(), stateDir, null);
    }

    /** The value of {@code name} with exactly {@code labels} added, or -1 when absent. */
    static double sample(CheckResult result, String name, Map<String, String> labels) {
        return result.samples().stream()
                .filter(s -> s.name().equals(name) && s.labels().equals(labels))
                .mapToDouble(Sample::value)
                .findFirst()
                .orElse(-1);
    }

    /** Forgets what this JVM holds for every check, as a restarted agent would. */
    static void forgetState() {
        TailState.forgetAll();
    }
}
