package dev.patrol.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsProblem;
import dev.patrol.api.Target;
import dev.patrol.core.job.JobSettings;
import dev.patrol.transport.ssh.SshSettings;
import dev.patrol.transport.ssh.SshSettingsByTarget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the SSH settings of every target at load time: {@code patrol.ssh}, and each target's own {@code ssh} block
 * over it. A wrong value anywhere is a {@code FILE:LINE} problem in {@code check-config}, never a failed run later; the
 * pool only looks the result up. The files they name (identity, known-hosts) are checked for the targets reached over
 * SSH (by a check, a job or an action): a target only reached by HTTP checks is not required to have them.
 */
final class SshSettingsParser {
    /**
     * Keys the SSH client applies to every connection (MINA's heartbeat and read timeout are client-wide): a target's
     * own block that sets one is a problem, rather than a setting accepted and silently ignored.
     */
    static final List<String> AGENT_WIDE = List.of("heartbeat-interval", "idle-timeout");

    private SshSettingsParser() {}

    static SshSettingsByTarget parse(Config patrol, Map<String, Target> targets, Problems problems) {
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

    /** Something that reaches its targets over SSH: an SSH check, a job, an action run on the target. */
    record SshUser(ConfigOrigin where, List<Target> targets) {}

    /**
     * The SSH users of a config, in the order they are written: each SSH check, every job (all job types run over
     * SSH), and each action whose command runs on the target.
     */
    static List<SshUser> users(
            Config patrol,
            Map<String, CheckSettings> checks,
            Map<String, JobSettings> jobs,
            Map<String, ActionSettings> actions) {
        List<SshUser> users = new ArrayList<>();
        for (CheckSettings check : checks.values()) {
            if (check.definition().usesSsh()) {
                users.add(new SshUser(Origins.first(check.block().root().origin()), check.targets()));
            }
        }
        for (JobSettings job : jobs.values()) {
            users.add(new SshUser(originOf(patrol, "jobs", job.name()), job.targets()));
        }
        for (ActionSettings action : actions.values()) {
            if (action.run() != null && action.where() == ActionSettings.Where.SSH) {
                users.add(new SshUser(originOf(patrol, "actions", action.name()), action.targets()));
            }
        }
        return users;
    }

    /**
     * Checks the identity and known-hosts files of every target an SSH user reaches. A file the user named is
     * reported where they wrote it; a default nobody wrote (reference.conf, inside a jar) at the first user that
     * needs it, with what to set.
     */
    static void checkFiles(Config patrol, List<SshUser> users, Problems problems) {
        Config global = patrol.hasPath("ssh") ? patrol.getConfig("ssh") : ConfigFactory.empty();
        // A target's files are the same for every user of it: read them once, not once per (user, target).
        Set<String> checkedTargets = new HashSet<>();
        Set<String> reportedDefaults = new HashSet<>();
        for (SshUser user : users) {
            for (Target target : user.targets()) {
                if (!checkedTargets.add(target.name())) {
                    continue;
                }
                Config own = ownBlock(target);
                for (SettingsProblem problem : SshSettings.fileProblems(own.withFallback(global))) {
                    String prefix =
                            own.hasPath(problem.path()) ? "patrol.targets." + target.name() + ".ssh" : "patrol.ssh";
                    // Many targets share the global block: Problems reports each of its file problems once.
                    SettingsProblem located = problem.under(prefix);
                    if (Origins.isUserFile(Origins.first(located.origin()))) {
                        problems.add(located.origin(), located.path(), located.expected());
                    } else if (reportedDefaults.add(located.path())) {
                        problems.add(
                                user.where(),
                                located.path(),
                                located.expected() + "; it is the default: set " + located.path()
                                        + ", or host-key-policy = accept-new");
                    }
                }
            }
        }
    }

    private static ConfigOrigin originOf(Config patrol, String section, String name) {
        return Origins.of(patrol.getConfig(section).root().get(name));
    }

    private static Config ownBlock(Target target) {
        return target.settings().hasPath("ssh") ? target.settings().getConfig("ssh") : ConfigFactory.empty();
    }
}
