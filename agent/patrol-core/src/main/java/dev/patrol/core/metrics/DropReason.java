package dev.patrol.core.metrics;

import java.util.Locale;

/**
 * Why a sample a check produced is not on {@code /metrics}: the closed {@code reason} set of
 * {@code patrol_samples_dropped_total}. The first five are decided when a run ends ({@link SampleLimits}), the last two
 * at scrape time, where samples of all checks meet ({@link FamilyTable}).
 */
public enum DropReason {
    /** The run produced more than {@link dev.patrol.api.Sample#MAX_PER_RUN} samples. */
    OVER_LIMIT,
    /** The metric name is longer than {@link dev.patrol.api.Sample#MAX_NAME_CHARS}. */
    INVALID_NAME,
    /** A label name or value is longer than its bound. */
    LABEL_TOO_LONG,
    /** The sample has more than {@link dev.patrol.api.Sample#MAX_LABELS} labels of its own. */
    TOO_MANY_LABELS,
    /** The same name and labels as an earlier sample of the same run. */
    DUPLICATE,
    /** The name, or a name its type implies ({@code _total}, {@code _created}), is taken by a family of another type. */
    TYPE_CLASH,
    /** The name belongs to one of the agent's own families ({@code patrol_check_*}, self-metrics, JVM metrics). */
    RESERVED_NAME;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
