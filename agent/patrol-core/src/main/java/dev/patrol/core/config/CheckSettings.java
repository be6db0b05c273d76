package dev.patrol.core.config;

import com.typesafe.config.Config;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One validated check from {@code patrol.checks.<name>}, with the targets its selector resolved to.
 *
 * @param name the check's key, the {@code check} label
 * @param type the plugin type
 * @param definition what the plugin parsed
 * @param interval how often it runs against each target
 * @param cron a Quartz cron expression used instead of {@code interval}, or {@code null}
 * @param timeout deadline of one attempt
 * @param retries extra attempts after a failed one, within the same run
 * @param retryInterval pause before the first retry; doubles for each further one
 * @param targets the targets it runs against (the implicit target for a check that needs none)
 * @param labels static labels added to every series of this check
 * @param exposeLabels target labels copied onto this check's series
 * @param block the check's resolved config block (keys the core reads beyond these, such as {@code rate-limit})
 * @param state how results become soft and hard states ({@code max-attempts}, {@code soft-interval}, flapping)
 */
public record CheckSettings(
        String name,
        String type,
        CheckDefinition definition,
        Duration interval,
        String cron,
        Duration timeout,
        int retries,
        Duration retryInterval,
        List<Target> targets,
        Map<String, String> labels,
        List<String> exposeLabels,
        Config block,
        StateSettings state) {

    public CheckSettings {
        targets = List.copyOf(targets);
        state = state == null ? StateSettings.DEFAULT : state;
        labels = Map.copyOf(labels);
        exposeLabels = List.copyOf(exposeLabels);
    }

    /** A check with the default soft/hard settings (every result hard at once). */
    public CheckSettings(
            String name,
            String type,
            CheckDefinition definition,
            Duration interval,
            String cron,
            Duration timeout,
            int retries,
            Duration retryInterval,
            List<Target> targets,
            Map<String, String> labels,
            List<String> exposeLabels,
            Config block) {
        this(
                name,
                type,
                definition,
                interval,
                cron,
                timeout,
                retries,
                retryInterval,
                targets,
                labels,
                exposeLabels,
                block,
                StateSettings.DEFAULT);
    }
}
