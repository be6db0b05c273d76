package dev.patrol.core.job;

/**
 * A count written as an absolute number ({@code 3}) or a share of the job's targets ({@code "20%"}), as Ansible's
 * {@code serial} and {@code max_fail_percentage}. A share is rounded up and never below one.
 *
 * @param value the number, or the percentage when {@code percent}
 * @param percent whether {@code value} is a percentage of the targets
 */
public record Limit(int value, boolean percent) {
    /** The count for a run over {@code targets} targets; at least 1. */
    public int of(int targets) {
        if (!percent) {
            return Math.max(1, value);
        }
        return Math.max(1, (int) Math.ceil(targets * (value / 100.0)));
    }

    @Override
    public String toString() {
        return percent ? value + "%" : Integer.toString(value);
    }
}
