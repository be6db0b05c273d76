package dev.patrol.core.transition;

import static dev.patrol.api.Status.CRITICAL;
import static dev.patrol.api.Status.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.patrol.api.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlapDetectorTest {

    @Test
    void aSteadyHistoryHasNoChange() {
        assertThat(FlapDetector.percentChange(Collections.nCopies(21, OK))).isZero();
    }

    @Test
    void everyResultChangingIsOneHundredPercent() {
        List<Status> history = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            history.add(i % 2 == 0 ? OK : CRITICAL);
        }
        assertThat(FlapDetector.percentChange(history)).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void aRecentChangeWeighsMoreThanAnOldOne() {
        List<Status> oldChange = new ArrayList<>(Collections.nCopies(21, OK));
        oldChange.set(0, CRITICAL);
        List<Status> newChange = new ArrayList<>(Collections.nCopies(21, OK));
        newChange.set(20, CRITICAL);

        assertThat(FlapDetector.percentChange(oldChange)).isCloseTo(0.75 * 100 / 20, within(1e-9));
        assertThat(FlapDetector.percentChange(newChange)).isCloseTo(1.25 * 100 / 20, within(1e-9));
    }

    @Test
    void flappingHasHysteresis() {
        assertThat(FlapDetector.flapping(false, 40, 50, 25)).isFalse();
        assertThat(FlapDetector.flapping(false, 51, 50, 25)).isTrue();
        assertThat(FlapDetector.flapping(true, 40, 50, 25)).isTrue();
        assertThat(FlapDetector.flapping(true, 24, 50, 25)).isFalse();
    }
}
