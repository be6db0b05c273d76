package dev.patrol.core.engine;

/** Fixed bounds on what one run may produce; they protect the metrics endpoint, not the target. */
final class RunLimits {
    /** Samples kept from one run; the rest are dropped and counted in {@code patrol_samples_dropped_total}. */
    static final int MAX_SAMPLES_PER_RUN = 500;

    /** Characters of a result summary kept. */
    static final int MAX_SUMMARY_CHARS = 512;

    /** Characters of a result's long output kept. */
    static final int MAX_OUTPUT_CHARS = 16 * 1024;

    private RunLimits() {}
}
