package dev.patrol.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsProblem;
import dev.patrol.api.Target;
import dev.patrol.transport.ssh.SshSettings;
import dev.patrol.transport.ssh.SshSettingsByTarget;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the SSH settings of every target at load time: {@code patrol.ssh}, and each target's own {@code ssh} block
 * over it. A wrong value anywhere is a {@code FILE:LINE} problem in {@code check-config}, never a failed run later; the
 * pool only looks the result up. The files they name (identity, known-hosts) are checked for the targets an SSH check
 * runs against: a target only reached by HTTP checks is not required to have them.
 */
final class SshSettingsParser {
    /**
     * Keys the SSH client applies to every connection (MINA's heartbeat and read timeout are client-wide): a target's
     * own block that sets one is a problem, rather than a setting accepted and silently ignored.
     */
    static final List<String> AGENT_WIDE = List.of("heartbeat-interval", "idle-timeout");

    private SshSettingsParser() {}

    static SshSettingsByTarget parse(
            Config patrol, Map<String, Target> targets, Map<String, CheckSettings> checks, Problems problems) {
        Config global = patrol.hasPath("ssh") ? patrol.getConfig("ssh") : ConfigFactory.empty();
        ConfigOrigin globalOrigin =
                patrol.hasPath("ssh") ? global.root().origin() : patrol.root().origin();
        SshSettings defaults = read(global, ConfigFactory.empty(), "", globalOrigin, problems);
        Map<String, SshSettings> byTarget = new HashMap<>();
        for (Target target : targets.values()) {
            Config own = ownBlock(target);
            if (!own.isEmpty()) {
                String prefix = "patrol.targets." + target.name() + ".ssh";
                for (String key : AGENT_WIDE) {
                    if (own.hasPath(key)) {
                        problems.add(
                                own.getValue(key).origin(),
                                prefix + "." + key,
                                "expected in patrol.ssh only: it applies to every SSH connection of the agent");
                    }
                }
                SshSettings settings = read(global, own, prefix, own.root().origin(), problems);
                if (settings != null) {
                    byTarget.put(target.name(), settings);
                }
            }
        }
        checkFiles(global, checks, problems);
        return new SshSettingsByTarget(defaults == null ? SshSettings.defaults() : defaults, byTarget);
    }

    /** {@code own} over {@code global}, or {@code null} with its problems put where the user wrote each key. */
    private static SshSettings read(
            Config global, Config own, String ownPrefix, ConfigOrigin where, Problems problems) {
        try {
            return SshSettings.from(own.withFallback(global));
        } catch (InvalidSettingsException e) {
            for (SettingsProblem problem : e.problems()) {
                String prefix = own.hasPath(problem.path()) ? ownPrefix : "patrol.ssh";
                problems.addUnder(prefix, List.of(problem), where);
            }
            return null;
        }
    }

    private static void checkFiles(Config global, Map<String, CheckSettings> checks, Problems problems) {
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
                Config own = ownBlock(target);
                for (SettingsProblem problem : SshSettings.fileProblems(own.withFallback(global))) {
                    String prefix =
                            own.hasPath(problem.path()) ? "patrol.targets." + target.name() + ".ssh" : "patrol.ssh";
                    // Many targets share the global block: Problems reports each of its file problems once.
                    SettingsProblem located = problem.under(prefix);
                    problems.add(located.origin(), located.path(), located.expected());
                }
            }
        }
    }

    private static Config ownBlock(Target target) {
        return target.settings().hasPath("ssh") ? target.settings().getConfig("ssh") : ConfigFactory.empty();
    }
}
