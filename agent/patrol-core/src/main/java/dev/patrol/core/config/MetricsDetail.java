package dev.patrol.core.config;

/**
 * {@code patrol.metrics.detail}: how many series each (check, target) pair costs on {@code /metrics}. Every level keeps
 * what the shipped alert rules need; the levels differ in what only dashboards or ad-hoc queries read.
 *
 * <ul>
 *   <li>{@link #FULL}: every per-check family per pair, {@code patrol_check_timeout_seconds} and {@code
 *       patrol_check_interval_seconds} included (19 series per pair, 20 while it fails).
 *   <li>{@link #STANDARD}: as full, but the timeout and interval, which are the same for every target of a check, are
 *       one series per check labelled {@code check} only (17 per pair, 18 while it fails, plus 2 per check).
 *   <li>{@link #MINIMAL}: per pair only {@code patrol_check_up}, {@code _status}, {@code _last_run_timestamp_seconds}
 *       and, while it fails, {@code _failure_reason}; run and skip counters summed per check; no duration, no
 *       soft/hard state families (3 per pair, 4 while it fails, plus 12 per check).
 * </ul>
 */
public enum MetricsDetail {
    FULL,
    STANDARD,
    MINIMAL;

    /** Whether the timeout, interval, run and skip families carry {@code target}. */
    public boolean perPairSettings() {
        return this == FULL;
    }

    /** Whether run and skip counters are exported per pair rather than summed per check. */
    public boolean perPairCounters() {
        return this != MINIMAL;
    }

    /** Whether {@code patrol_check_duration_seconds} and the soft/hard state families are exported. */
    public boolean perPairDetail() {
        return this != MINIMAL;
    }
}
