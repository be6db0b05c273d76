package dev.patrol.api;

import java.util.concurrent.CompletionStage;

/**
 * A parsed, immutable check: what to do against one target. Built by {@link CheckPlugin#parse} and replaced as a whole
 * on reload, so it holds no mutable state of its own; one instance is run concurrently against many targets.
 *
 * <p>{@link #run} must return at once, do its waiting asynchronously, and complete normally with a result even when
 * the target is down: a refused connection is a {@link CheckResult#critical CRITICAL} result with a reason, not an
 * exception. It must stop its I/O when {@link CheckContext#cancelled()} completes (the run's deadline passed or the
 * agent is shutting down). An exception, thrown or as a failed stage, is treated as a plugin bug and becomes an
 * {@code UNKNOWN} result with reason {@link Reason#PLUGIN_ERROR}.
 */
@FunctionalInterface
public interface CheckDefinition {

    CompletionStage<CheckResult> run(Target target, CheckContext context);

    /**
     * Whether this check needs a target from {@code patrol.targets}. A check that names its own endpoint, such as an
     * HTTP check with a fixed URL, returns {@code false} and is run against {@link #implicitTarget()}.
     */
    default boolean needsTargets() {
        return true;
    }

    /**
     * Whether runs use {@link CheckContext#ssh()}. The agent then checks each target's SSH identity and known-hosts
     * files when the configuration is loaded, so {@code patrol check-config} reports a missing or world-readable key.
     */
    default boolean usesSsh() {
        return false;
    }

    /** The target of a check that {@link #needsTargets() needs none}; its name becomes the {@code target} label. */
    default Target implicitTarget() {
        throw new UnsupportedOperationException("this check runs against configured targets");
    }
}
