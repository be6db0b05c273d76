package dev.patrol.core.job;

import dev.patrol.api.Target;
import dev.patrol.core.audit.AuditLog;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes each job step to {@code <state-dir>/audit.log}, in the actions' JSON-lines format: a {@code started} entry
 * when a target's run begins and a {@code finished} entry with its result, bytes, files, duration and message when it
 * ends ({@code not_run} targets get only the latter). Entries carry {@code job} where an action's carry
 * {@code action}, and never a secret: commands and paths are as configured.
 *
 * <pre>{@code
 * JobListener listener = JobListener.all(metrics, new JobAudit(() -> audit, Clock.systemUTC()));
 * }</pre>
 *
 * <p>Thread-safe: the audit log serialises appends.
 */
public final class JobAudit implements JobListener {
    private final Supplier<AuditLog> audit;
    private final Clock clock;

    /** @param audit the current audit log (it changes with a reload's limits), or {@code null} for none */
    public JobAudit(Supplier<AuditLog> audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void started(JobSettings job, Target target) {
        Map<String, Object> entry = entry(job, target.name(), "started");
        entry.put("what", what(job));
        append(entry);
    }

    @Override
    public void finished(JobSettings job, TargetOutcome outcome) {
        Map<String, Object> entry = entry(job, outcome.target(), "finished");
        entry.put("result", outcome.result().label());
        entry.put("duration_seconds", outcome.duration().toMillis() / 1000.0);
        entry.put("bytes", outcome.bytes());
        if (job.type() == JobType.FETCH) {
            entry.put("files", outcome.files());
        }
        if (outcome.directory() != null) {
            entry.put("directory", outcome.directory().toString());
        }
        if (outcome.message() != null) {
            entry.put("message", outcome.message());
        }
        append(entry);
    }

    private Map<String, Object> entry(JobSettings job, String target, String event) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("time", clock.instant().toString());
        entry.put("job", job.name());
        entry.put("type", job.type().name().toLowerCase(java.util.Locale.ROOT));
        entry.put("target", target);
        entry.put("event", event);
        return entry;
    }

    /** What the step does, as configured: the command, the fetched paths, or the pushed file. */
    static String what(JobSettings job) {
        return switch (job.type()) {
            case COMMAND -> job.command();
            case FETCH -> String.join(", ", job.paths());
            case PUSH -> job.push().source() + " -> " + job.push().remotePath();
        };
    }

    private void append(Map<String, Object> entry) {
        AuditLog log = audit.get();
        if (log != null) {
            log.append(entry);
        }
    }
}
