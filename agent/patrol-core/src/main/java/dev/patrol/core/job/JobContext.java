package dev.patrol.core.job;

import dev.patrol.core.context.BaseContext;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executor;

/**
 * What the SSH pool needs to run one command of a job: a deadline, and a cancel signal completed when the target's
 * run times out. Jobs use no HTTP client. Thread-safe.
 */
final class JobContext extends BaseContext {

    JobContext(String job, Instant deadline, Executor executor) {
        super(job, deadline, Clock.systemUTC(), System.getLogger("patrol.job." + job), executor);
    }
}
