package dev.patrol.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CheckLoggersTest {
    private final CheckLoggers loggers = new CheckLoggers();

    @Test
    void eachCheckHasItsOwnLoggerUnderPatrolCheck() {
        CheckLoggers.Loggers homepage = loggers.of("homepage");

        assertThat(homepage.engine().getName()).isEqualTo("patrol.check.homepage");
        assertThat(homepage.plugin().getName()).isEqualTo("patrol.check.homepage");
        assertThat(loggers.of("disk").engine().getName()).isEqualTo("patrol.check.disk");
    }

    @Test
    void aCheckIsLookedUpOnceAndTheSameLoggersServeEveryRun() {
        CheckLoggers.Loggers first = loggers.of("homepage");

        assertThat(loggers.of("homepage")).isSameAs(first);
    }
}
