package dev.patrol.core.metrics;

import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * How long a cron-scheduled job may go between runs: the longest gap among its next {@value #FIRES} fires. A weekday
 * schedule ({@code 0 0 2 ? * MON-FRI}) thus allows three days over a weekend, not one.
 */
final class ScheduleGaps {
    private static final int FIRES = 100;

    private ScheduleGaps() {}

    /** The longest gap in seconds, or 0 for a job without a schedule (or one that never fires again). */
    static double longest(String schedule, ZoneId zone, Instant now) {
        if (schedule == null) {
            return 0;
        }
        CronExpression cron;
        try {
            cron = new CronExpression(schedule);
        } catch (ParseException e) {
            return 0; // checked at load; a schedule reaching here parses
        }
        cron.setTimeZone(TimeZone.getTimeZone(zone));
        Date previous = cron.getNextValidTimeAfter(Date.from(now));
        long longest = 0;
        for (int i = 0; i < FIRES && previous != null; i++) {
            Date next = cron.getNextValidTimeAfter(previous);
            if (next != null) {
                longest = Math.max(longest, next.getTime() - previous.getTime());
            }
            previous = next;
        }
        return longest / 1000.0;
    }
}
