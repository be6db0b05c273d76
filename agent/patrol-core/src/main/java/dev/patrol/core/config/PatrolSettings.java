package dev.patrol.core.config;

import com.typesafe.config.Config;
import dev.patrol.api.Target;
import dev.patrol.core.job.JobSettings;
import dev.patrol.core.logging.LoggingSettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * The whole validated configuration: immutable, replaced as a unit on reload.
 *
 * @param source the main file it was loaded from (conf.d and plugins.d are resolved beside it)
 * @param web {@code patrol.web}
 * @param logging {@code patrol.logging}
 * @param stateDir {@code patrol.state-dir}
 * @param pluginsDir {@code patrol.plugins-dir}
 * @param limits {@code patrol.limits}
 * @param targets {@code patrol.targets} by name, sorted
 * @param checks {@code patrol.checks} by name, sorted
 * @param config the merged, resolved config (for the status page, rendered with secrets masked)
 * @param jobs {@code patrol.jobs} by name, sorted
 */
public record PatrolSettings(
        Path source,
        WebSettings web,
        LoggingSettings logging,
        Path stateDir,
        Path pluginsDir,
        LimitsSettings limits,
        Map<String, Target> targets,
        Map<String, CheckSettings> checks,
        Config config,
        Map<String, JobSettings> jobs) {

    /** Settings without jobs. */
    public PatrolSettings(
            Path source,
            WebSettings web,
            LoggingSettings logging,
            Path stateDir,
            Path pluginsDir,
            LimitsSettings limits,
            Map<String, Target> targets,
            Map<String, CheckSettings> checks,
            Config config) {
        this(source, web, logging, stateDir, pluginsDir, limits, targets, checks, config, Map.of());
    }
}
