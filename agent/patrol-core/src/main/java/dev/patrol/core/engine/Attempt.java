package dev.patrol.core.engine;

import dev.patrol.api.CheckResult;

/** The outcome of one attempt, before retries decide whether it is the run's. */
record Attempt(Outcome outcome, CheckResult result) {}
