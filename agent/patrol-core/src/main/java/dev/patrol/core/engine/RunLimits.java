package dev.patrol.core.engine;

/**
 * Fixed bounds on the text one run may keep; they protect the status page and logs, not the target. The bounds on
 * samples are in {@link dev.patrol.api.Sample} ({@code MAX_PER_RUN} and beside it), applied by
 * {@link dev.patrol.core.metrics.SampleLimits}.
 */
final class RunLimits {
    /** Characters of a result summary kept. */
    static final int MAX_SUMMARY_CHARS = 512;

    /** Characters of a result's long output kept. */
    static final int MAX_OUTPUT_CHARS = 16 * 1024;

    private RunLimits() {}
}
