package dev.patrol.core.web;

/**
 * Starts a job run for {@code POST /-/jobs/<name>/run}; called on a request thread, and must return at once (the run
 * goes on in the background).
 *
 * <pre>{@code
 * JobTrigger trigger = name -> scheduler.start(name);
 * }</pre>
 */
@FunctionalInterface
public interface JobTrigger {
    /** What became of a request to run a job. */
    enum Outcome {
        /** The run started: 202. */
        STARTED,
        /** No job has that name: 404. */
        UNKNOWN,
        /** A run of that job is still going: 409. */
        RUNNING
    }

    /** No jobs at all: every name is unknown. */
    JobTrigger NONE = name -> Outcome.UNKNOWN;

    Outcome start(String job);
}
