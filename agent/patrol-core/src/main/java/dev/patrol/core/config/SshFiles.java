package dev.patrol.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.patrol.api.SettingsProblem;
import dev.patrol.api.Target;
import dev.patrol.transport.ssh.SshSettings;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks the SSH files (identity, known-hosts) of every target that an SSH check runs against, at load time, so a
 * missing or world-readable key is a {@code FILE:LINE} problem in {@code check-config} rather than a failed run later.
 * Targets only reached by HTTP checks are not required to have SSH files.
 */
final class SshFiles {
    private SshFiles() {}

    static void check(Config patrol, Map<String, CheckSettings> checks, Problems problems) {
        Config global = patrol.hasPath("ssh") ? patrol.getConfig("ssh") : ConfigFactory.empty();
        Set<String> seen = new LinkedHashSet<>();
        // A target's files are the same for every check on it: read them once, not once per (check, target).
        Set<String> checkedTargets = new HashSet<>();
        for (CheckSettings check : checks.values()) {
            if (!check.definition().usesSsh()) {
                continue;
            }
            for (Target target : check.targets()) {
                if (!checkedTargets.add(target.name())) {
                    continue;
                }
                Config own =
                        target.settings().hasPath("ssh") ? target.settings().getConfig("ssh") : ConfigFactory.empty();
                for (SettingsProblem problem : SshSettings.fileProblems(own.withFallback(global))) {
                    String prefix =
                            own.hasPath(problem.path()) ? "patrol.targets." + target.name() + ".ssh" : "patrol.ssh";
                    SettingsProblem located = problem.under(prefix);
                    // Many targets share the global block: report each file problem once.
                    if (seen.add(located.format())) {
                        problems.add(located.origin(), located.path(), located.expected());
                    }
                }
            }
        }
    }
}
