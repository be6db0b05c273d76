package dev.patrol.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.patrol.api.CommonCheckKeys;
import org.junit.jupiter.api.Test;

/**
 * The list plugins see in patrol-api ({@link CommonCheckKeys#NAMES}) names every key the agent reads from a check
 * block itself, so that a plugin's contract test and the agent's unknown-key check agree.
 */
class CommonCheckKeysNamesTest {

    @Test
    void everyKeyOfPatrolDefaultsIsACommonKey() {
        assertThat(CommonCheckKeys.NAMES)
                .containsAll(ConfigFactory.defaultReference()
                        .getObject("patrol.defaults")
                        .keySet());
    }

    @Test
    void theRateLimitKeyIsACommonKey() {
        assertThat(CommonCheckKeys.NAMES).contains(RateLimitKeys.CHECK_KEY).doesNotHaveDuplicates();
    }
}
