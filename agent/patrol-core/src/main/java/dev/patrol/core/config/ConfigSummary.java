package dev.patrol.core.config;

import dev.patrol.core.job.JobSettings;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.TreeMap;
import org.quartz.CronExpression;

/**
 * What {@code patrol check-config} prints for a valid configuration: how much work it describes (checks, targets,
 * (check, target) pairs, fires per minute, jobs, actions), a table of the checks and one of the jobs with their next
 * run, and notes about settings that are allowed but worth a second look, such as a timeout longer than the interval.
 *
 * <pre>{@code
 * ConfigSummary.lines(settings).forEach(System.out::println);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfigSummary {
    /** A cron rate is the mean over the next day, or over this many fires when they come sooner. */
    private static final int MAX_CRON_FIRES = 3_600;

    private static final DateTimeFormatter NEXT_RUN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private ConfigSummary() {}

    public static List<String> lines(PatrolSettings settings) {
        return lines(settings, Instant.now());
    }

    /** @param now where cron schedules are estimated from */
    public static List<String> lines(PatrolSettings settings, Instant now) {
        int pairs = 0;
        double fires = 0;
        for (CheckSettings check : settings.checks().values()) {
            pairs += check.targets().size();
            fires += firesPerMinute(check, now) * check.targets().size();
        }
        List<String> lines = new ArrayList<>();
        lines.add(settings.source() + ": configuration OK");
        lines.add(count(settings.checks().size(), "check") + ", "
                + count(settings.targets().size(), "target") + ", " + count(pairs, "(check, target) pair") + ", "
                + decimal(fires) + " fires per minute"
                + (settings.jobs().isEmpty() ? "" : ", " + count(settings.jobs().size(), "job"))
                + (settings.actions().isEmpty()
                        ? ""
                        : ", " + count(settings.actions().size(), "action")));
        if (!settings.checks().isEmpty()) {
            lines.add("");
            lines.addAll(table(settings));
        }
        if (!settings.jobs().isEmpty()) {
            lines.add("");
            lines.addAll(jobTable(settings, now));
        }
        List<String> notes = notes(settings);
        List<String> warnings = warnings(settings);
        if (!notes.isEmpty() || !warnings.isEmpty()) {
            lines.add("");
            warnings.forEach(warning -> lines.add("warning: " + warning));
            notes.forEach(note -> lines.add("note: " + note));
        }
        return lines;
    }

    /**
     * Settings that load but are unsafe: printed by check-config and logged at WARN when a configuration is applied,
     * without failing either. An endpoint reachable beyond this machine with neither TLS nor basic authentication
     * lets anyone who can connect read the metrics and status page and trigger reloads. A logger name of a package
     * that moved still works, but only until it is renamed.
     */
    public static List<String> warnings(PatrolSettings settings) {
        List<String> warnings = new ArrayList<>();
        WebSettings web = settings.web();
        if (web != null
                && !isLoopback(web.host())
                && web.tls() == null
                && web.basicAuthUsers().isEmpty()) {
            warnings.add("patrol.web.listen: " + web.host() + ":" + web.port() + " is reachable beyond this machine"
                    + " with neither patrol.web.tls nor patrol.web.basic-auth-users: anyone who can connect can read"
                    + " /metrics and the status page and POST /-/reload; listen on 127.0.0.1 or turn both on");
        }
        if (settings.logging() != null) {
            new TreeMap<>(settings.logging().renamedLoggers())
                    .forEach((old, renamed) -> warnings.add(Origins.join("patrol.logging.loggers", old)
                            + ": logger \"" + old + "\" is deprecated, its level applies to \"" + renamed
                            + "\"; use that name"));
        }
        return warnings;
    }

    /** Loopback by its literal form only: a host name other than localhost is not resolved here. */
    static boolean isLoopback(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.equals("localhost")
                || lower.startsWith("127.")
                || lower.equals("::1")
                || lower.equals("0:0:0:0:0:0:0:1");
    }

    /**
     * Settings that load but may surprise: log them at WARN when a configuration is applied. A timeout longer than
     * the interval is allowed (a slow target may need it), but while a run is still in flight the next fire of the
     * same (check, target) is skipped.
     */
    public static List<String> notes(PatrolSettings settings) {
        List<String> notes = new ArrayList<>();
        for (CheckSettings check : settings.checks().values()) {
            if (check.cron() == null && check.timeout().compareTo(check.interval()) > 0) {
                notes.add("patrol.checks." + check.name() + ": timeout " + human(check.timeout())
                        + " is longer than interval " + human(check.interval())
                        + "; while a run is in flight the next fire is skipped (reason \"overlap\")");
            }
        }
        return notes;
    }

    /** Runs per minute against one target: 60 s / interval, or the cron expression's mean rate from {@code now}. */
    public static double firesPerMinute(CheckSettings check, Instant now) {
        if (check.cron() == null) {
            return 60_000.0 / check.interval().toMillis();
        }
        CronExpression cron = loaded(check.cron());
        Instant end = now.plus(Duration.ofDays(1));
        Date next = cron.getNextValidTimeAfter(Date.from(now));
        Instant last = end;
        int count = 0;
        while (next != null && next.toInstant().isBefore(end) && count < MAX_CRON_FIRES) {
            count++;
            last = next.toInstant();
            next = cron.getNextValidTimeAfter(next);
        }
        Instant windowEnd = count == MAX_CRON_FIRES ? last : end;
        double minutes = Math.max(Duration.between(now, windowEnd).toMillis() / 60_000.0, 1.0 / 60);
        return count / minutes;
    }

    private static List<String> table(PatrolSettings settings) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"CHECK", "TYPE", "TARGETS", "SCHEDULE"});
        for (CheckSettings check : settings.checks().values()) {
            String schedule = check.cron() != null ? "cron " + check.cron() : "every " + human(check.interval());
            rows.add(new String[] {
                check.name(), check.type(), String.valueOf(check.targets().size()), schedule
            });
        }
        return aligned(rows);
    }

    /**
     * The jobs, with when each runs next in its own time zone, so that a schedule read in the wrong zone or a cron
     * expression that means something else than intended shows before the night it was meant for.
     */
    private static List<String> jobTable(PatrolSettings settings, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"JOB", "TYPE", "TARGETS", "SERIAL", "SCHEDULE"});
        for (JobSettings job : settings.jobs().values()) {
            rows.add(new String[] {
                job.name(),
                job.type().name().toLowerCase(Locale.ROOT),
                String.valueOf(job.targets().size()),
                String.valueOf(job.serial().of(job.targets().size())),
                jobSchedule(job, now)
            });
        }
        return aligned(rows);
    }

    static String jobSchedule(JobSettings job, Instant now) {
        if (job.schedule() == null) {
            return "by hand only (patrol run-job, POST /-/jobs/" + job.name() + "/run)";
        }
        CronExpression cron = loaded(job.schedule());
        cron.setTimeZone(TimeZone.getTimeZone(job.timeZone()));
        Date next = cron.getNextValidTimeAfter(Date.from(now));
        String when = next == null
                ? "never again"
                : "next " + NEXT_RUN.withZone(job.timeZone()).format(next.toInstant()) + " " + job.timeZone();
        return "cron " + job.schedule() + ", " + when;
    }

    /** A cron expression of a loaded configuration, which the loader has already parsed once. */
    private static CronExpression loaded(String expression) {
        try {
            return new CronExpression(expression);
        } catch (ParseException e) {
            throw new IllegalArgumentException("the loader accepts valid cron expressions only: " + expression, e);
        }
    }

    /** Rows in columns two spaces apart; the last column is not padded. */
    private static List<String> aligned(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns - 1];
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < widths.length; i++) {
                line.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
            }
            lines.add(line.append(row[columns - 1]).toString());
        }
        return lines;
    }

    /** 15s, 90s, 5m, 2h, 500ms: in one unit, the way a HOCON duration is written. */
    static String human(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1_000 == 0 ? millis / 1_000 + "s" : millis + "ms";
    }

    /** "1 check", "2 checks": a count with its noun in the right number. */
    public static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String decimal(double value) {
        return BigDecimal.valueOf(value)
                .setScale(2, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
    }
}
