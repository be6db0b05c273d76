package dev.patrol.core.action;

import dev.patrol.api.Status;
import dev.patrol.api.Target;
import dev.patrol.core.config.ActionSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Actions and limits for the action unit tests. */
final class ActionFixtures {
    private ActionFixtures() {}

    static ActionSettings local(String name, String run, List<Target> targets) {
        return new ActionSettings(
                name,
                "web-up",
                Set.of(Status.CRITICAL),
                targets,
                ActionSettings.Where.LOCAL,
                run,
                false,
                null,
                Duration.ofSeconds(30),
                3,
                Duration.ofMinutes(10),
                false,
                false);
    }

    static ActionSettings withGuards(ActionSettings a, int maxPerHour, Duration cooldown, boolean dryRun) {
        return new ActionSettings(
                a.name(),
                a.check(),
                a.statuses(),
                a.targets(),
                a.where(),
                a.run(),
                a.shell(),
                a.http(),
                a.timeout(),
                maxPerHour,
                cooldown,
                dryRun,
                a.recheck());
    }

    static ActionSettings.Limits limits(int maxConcurrent, Path killSwitch) {
        return new ActionSettings.Limits(maxConcurrent, killSwitch, 10L * 1024 * 1024, 5);
    }
}
