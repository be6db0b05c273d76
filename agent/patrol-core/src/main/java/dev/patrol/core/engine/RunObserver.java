package dev.patrol.core.engine;

import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.state.RunRecord;

/** Told of each scheduled run's result after it is stored; called on the thread that finished the run. */
@FunctionalInterface
public interface RunObserver {
    void recorded(CheckSettings check, Target target, RunRecord run);
}
