package dev.patrol.core.transition;

import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.state.RunRecord;
import dev.patrol.core.transition.StateMachine.Transition;

/** Told of every result's transition, after the state is stored: actions and durable state listen. */
public interface TransitionListener {
    void transitioned(CheckSettings check, Target target, RunRecord run, Transition transition);
}
