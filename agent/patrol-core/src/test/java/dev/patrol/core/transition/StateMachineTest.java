package dev.patrol.core.transition;

import static dev.patrol.api.Status.CRITICAL;
import static dev.patrol.api.Status.OK;
import static dev.patrol.api.Status.WARNING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.Status;
import dev.patrol.core.config.StateSettings;
import dev.patrol.core.state.PairState;
import dev.patrol.core.state.StateType;
import dev.patrol.core.transition.StateMachine.Transition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateMachineTest {
    private static final StateSettings THREE = new StateSettings(3, null, 50, 25);

    /** Feeds the statuses in order and returns every transition. */
    static List<Transition> feed(StateSettings settings, Status... statuses) {
        List<Transition> all = new ArrayList<>();
        PairState state = null;
        for (Status status : statuses) {
            Transition next = StateMachine.next(state, status, settings);
            all.add(next);
            state = next.state();
        }
        return all;
    }

    @Test
    void nonOkIsSoftUntilMaxAttemptsInARowThenHard() {
        List<Transition> run = feed(THREE, OK, CRITICAL, CRITICAL, CRITICAL, CRITICAL);

        assertThat(run)
                .extracting(t -> t.state().describe())
                .containsExactly("hard 1/3", "soft 1/3", "soft 2/3", "hard 3/3", "hard 3/3");
        assertThat(run).extracting(Transition::hardChange).containsExactly(false, false, false, true, false);
        assertThat(run.get(2).state().hardStatus()).isEqualTo(OK);
        assertThat(run.get(3).state().hardStatus()).isEqualTo(CRITICAL);
    }

    @Test
    void recoveryIsHardAtOnceAndAHardChange() {
        List<Transition> run = feed(THREE, OK, CRITICAL, CRITICAL, CRITICAL, OK);

        Transition recovery = run.get(4);
        assertThat(recovery.state().type()).isEqualTo(StateType.HARD);
        assertThat(recovery.state().hardStatus()).isEqualTo(OK);
        assertThat(recovery.hardChange()).isTrue();
    }

    @Test
    void softRecoveryIsNoHardChange() {
        List<Transition> run = feed(THREE, OK, CRITICAL, CRITICAL, OK);

        assertThat(run.get(3).hardChange()).isFalse();
        assertThat(run.get(3).state().describe()).isEqualTo("hard 1/3");
    }

    @Test
    void aStatusChangeWhileHardIsAHardChange() {
        List<Transition> run = feed(THREE, OK, CRITICAL, CRITICAL, CRITICAL, WARNING);

        assertThat(run.get(4).state().type()).isEqualTo(StateType.HARD);
        assertThat(run.get(4).state().hardStatus()).isEqualTo(WARNING);
        assertThat(run.get(4).hardChange()).isTrue();
    }

    @Test
    void maxAttemptsOneMakesEveryResultHard() {
        List<Transition> run = feed(StateSettings.DEFAULT, OK, CRITICAL);

        assertThat(run.get(1).state().type()).isEqualTo(StateType.HARD);
        assertThat(run.get(1).hardChange()).isTrue();
    }

    @Test
    void theFirstResultHasNoPreviousState() {
        List<Transition> run = feed(StateSettings.DEFAULT, CRITICAL, CRITICAL);

        assertThat(run.get(0).first()).isTrue();
        assertThat(run.get(0).hardChange()).isTrue();
        assertThat(run.get(1).first()).isFalse();
        assertThat(run.get(1).hardChange()).isFalse();
    }

    @Test
    void historyKeepsTheLast21Results() {
        Status[] many = new Status[30];
        java.util.Arrays.fill(many, OK);
        many[29] = CRITICAL;

        PairState last = feed(THREE, many).get(29).state();

        assertThat(last.history()).hasSize(21).endsWith(CRITICAL);
    }

    @Test
    void alternatingResultsFlapAndStopFlappingOnceSteady() {
        Status[] flappy = new Status[21];
        for (int i = 0; i < flappy.length; i++) {
            flappy[i] = i % 2 == 0 ? OK : CRITICAL;
        }
        List<Transition> run = feed(THREE, flappy);
        assertThat(run.get(20).state().flapping()).isTrue();

        PairState state = run.get(20).state();
        int steadyRuns = 0;
        while (state.flapping()) {
            state = StateMachine.next(state, OK, THREE).state();
            steadyRuns++;
        }
        assertThat(steadyRuns).isBetween(2, 21);
        assertThat(state.flapPercent()).isLessThan(25);
    }
}
