package dev.patrol.core.cli;

import dev.patrol.api.Target;
import dev.patrol.core.audit.AuditLog;
import dev.patrol.core.config.PatrolSettings;
import dev.patrol.core.job.JobAudit;
import dev.patrol.core.job.JobListener;
import dev.patrol.core.job.JobRunner;
import dev.patrol.core.job.JobSettings;
import dev.patrol.core.job.JobType;
import dev.patrol.core.job.TargetOutcome;
import dev.patrol.transport.ssh.SshMetrics;
import dev.patrol.transport.ssh.SshSessionPool;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code patrol run-job --config FILE JOB [--target T] [--dry-run]}: run one job now, in the foreground, with a line
 * per target as each ends. Exits 0 when every target succeeded, 1 when some failed or were not run, 2 on a
 * configuration error (or an unknown job or target).
 */
@Command(
        name = "run-job",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Run one job now, in the foreground, and print a line per target.")
final class RunJobCommand implements Callable<Integer> {
    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "Main config file.")
    private Path config;

    @Parameters(index = "0", paramLabel = "JOB", description = "Name of the job.")
    private String jobName;

    @Option(names = "--target", paramLabel = "TARGET", description = "Only this target.")
    private String targetName;

    @Option(names = "--dry-run", description = "List what would run; connect to nothing, transfer nothing.")
    private boolean dryRun;

    @Override
    public Integer call() throws Exception {
        PatrolSettings settings = Configs.load(config, System.err);
        Configs.Picked<JobSettings> picked = settings == null
                ? null
                : Configs.pick("job", jobName, settings.jobs(), JobSettings::targets, targetName, System.err);
        if (picked == null) {
            return 2;
        }
        JobSettings job = picked.entry();
        List<Target> targets = picked.targets();
        PrintStream out = System.out;
        out.printf(
                "%s (%s) on %d target%s, serial %d, max-failures %d%n",
                job.name(),
                job.type().name().toLowerCase(Locale.ROOT),
                targets.size(),
                targets.size() == 1 ? "" : "s",
                job.serial().of(targets.size()),
                job.maxFailures().of(targets.size()));
        if (dryRun) {
            for (Target target : targets) {
                out.println("  " + target.name() + ": would " + describe(job, target));
            }
            return 0;
        }
        List<TargetOutcome> outcomes;
        try (SshSessionPool ssh = new SshSessionPool(settings.ssh(), new SshMetrics())) {
            ssh.limitHandshakes(settings.limits().maxSshHandshakes());
            AuditLog audit = settings.auditLog();
            JobListener listener =
                    JobListener.all(new RunJobProgress(out), new JobAudit(() -> audit, Clock.systemUTC()));
            outcomes = new JobRunner(ssh, Clock.systemUTC()).run(job, targets, listener);
        }
        long failed = outcomes.stream().filter(o -> !o.result().succeeded()).count();
        out.printf("%d ok, %d not ok%n", outcomes.size() - failed, failed);
        return failed == 0 ? 0 : 1;
    }

    private static String describe(JobSettings job, Target target) {
        if (job.type() == JobType.COMMAND) {
            return "run '" + job.command() + "' on " + target.host() + ":" + target.port();
        }
        if (job.type() == JobType.PUSH) {
            return "push " + job.push().source() + " to " + target.host() + ":" + target.port() + ":"
                    + job.push().remotePath() + " (skipped if the same)";
        }
        return "fetch " + String.join(", ", job.paths()) + " from " + target.host() + ":" + target.port() + " into "
                + job.destination().resolve(job.name()).resolve(target.name()) + "/<UTC timestamp>/";
    }
}
