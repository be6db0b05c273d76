package dev.patrol.core.config;

import dev.patrol.api.Secret;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One validated remediation action from {@code patrol.actions.<name>}: what triggers it, what it runs, and its
 * guardrails.
 *
 * @param name the action's key, the {@code action} label
 * @param check the check whose hard state changes trigger it ({@code on.check})
 * @param statuses the hard statuses that trigger it ({@code on.status})
 * @param targets the targets of the check it acts on ({@code on.targets}, all of the check's by default)
 * @param where where {@code run} runs: over SSH on the target, or on the agent's machine
 * @param run the command template; {@code null} for an HTTP action
 * @param shell for {@code where = local}: run through {@code /bin/sh -c} (values shell-quoted) instead of argv-style
 * @param http the request of an HTTP action, else {@code null}
 * @param timeout how long the command or request may take
 * @param maxPerHour runs per (action, target) in any rolling hour
 * @param cooldown pause after a run before the same (action, target) may run again
 * @param dryRun log, audit and count what would run, and run nothing
 * @param recheck run the triggering check again after the action; its result is the action's outcome
 */
public record ActionSettings(
        String name,
        String check,
        Set<Status> statuses,
        List<Target> targets,
        Where where,
        String run,
        boolean shell,
        Http http,
        Duration timeout,
        int maxPerHour,
        Duration cooldown,
        boolean dryRun,
        boolean recheck) {

    public ActionSettings {
        statuses = Set.copyOf(statuses);
        targets = List.copyOf(targets);
    }

    /** Where a {@code run} command runs. */
    public enum Where {
        SSH,
        LOCAL
    }

    /**
     * @param url the URL template; placeholder values are URL-encoded
     * @param method GET, POST, PUT or DELETE
     * @param bearerToken sent as {@code Authorization: Bearer}, or {@code null}; never logged
     * @param headers extra request headers
     */
    public record Http(String url, String method, Secret bearerToken, Map<String, String> headers) {
        public Http {
            headers = Map.copyOf(headers);
        }

        /** The URL with placeholders replaced by a harmless value, to check its syntax at load time. */
        URI sample() {
            return URI.create(url.replaceAll("\\{[A-Za-z0-9_.-]+}", "x"));
        }
    }

    /**
     * {@code patrol.action-limits} and {@code patrol.audit}.
     *
     * @param maxConcurrent actions running at once across the agent
     * @param killSwitchFile while this file exists no action runs; {@code null} for none
     * @param auditMaxFileSize bytes after which audit.log is rotated
     * @param auditMaxFiles rotated audit files kept besides audit.log
     */
    public record Limits(int maxConcurrent, Path killSwitchFile, long auditMaxFileSize, int auditMaxFiles) {
        public static final Limits DEFAULT = new Limits(4, null, 10L * 1024 * 1024, 5);
    }
}
