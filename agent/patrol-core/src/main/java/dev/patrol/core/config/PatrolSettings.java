package dev.patrol.core.config;

import com.typesafe.config.Config;
import dev.patrol.api.Target;
import dev.patrol.core.audit.AuditLog;
import dev.patrol.core.job.JobSettings;
import dev.patrol.core.logging.LoggingSettings;
import dev.patrol.core.ratelimit.RateLimitSettings;
import dev.patrol.transport.ssh.SshSettings;
import dev.patrol.transport.ssh.SshSettingsByTarget;
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
 * @param actions {@code patrol.actions} by name, sorted
 * @param actionLimits {@code patrol.action-limits} and {@code patrol.audit}
 * @param ssh {@code patrol.ssh} and the targets' own {@code ssh} blocks, resolved per target
 * @param rateLimits {@code patrol.rate-limits} by name, sorted
 * @param metricsDetail {@code patrol.metrics.detail}; {@link MetricsDetail#STANDARD} when null
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
        Map<String, JobSettings> jobs,
        Map<String, ActionSettings> actions,
        ActionSettings.Limits actionLimits,
        SshSettingsByTarget ssh,
        Map<String, RateLimitSettings> rateLimits,
        MetricsDetail metricsDetail) {

    public PatrolSettings {
        metricsDetail = metricsDetail == null ? MetricsDetail.STANDARD : metricsDetail;
        rateLimits = rateLimits == null ? Map.of() : rateLimits;
        ssh = ssh == null ? SshSettingsByTarget.of(SshSettings.defaults()) : ssh;
        jobs = jobs == null ? Map.of() : jobs;
        actions = actions == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(actions));
        actionLimits = actionLimits == null ? ActionSettings.Limits.DEFAULT : actionLimits;
    }

    /** Settings without jobs and actions. */
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
        this(
                source,
                web,
                logging,
                stateDir,
                pluginsDir,
                limits,
                targets,
                checks,
                config,
                Map.of(),
                Map.of(),
                null,
                null,
                null,
                null);
    }

    /** The audit log under {@code state-dir} that actions and jobs append to, or null without a state dir. */
    public AuditLog auditLog() {
        return stateDir == null
                ? null
                : new AuditLog(stateDir, actionLimits.auditMaxFileSize(), actionLimits.auditMaxFiles());
    }
}
