package dev.patrol.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsProblemTest {

    private static ConfigOrigin originOfLine2() {
        return ConfigFactory.parseString(
                        "a = 1\nb = 2", ConfigParseOptions.defaults().setOriginDescription("x.conf"))
                .getValue("b")
                .origin();
    }

    @Test
    void formatsAsLocationPathAndExpectation() {
        SettingsProblem problem = new SettingsProblem(originOfLine2(), "b", "expected a duration, got '2'");

        assertThat(problem.location()).endsWith(":2").startsWith("x.conf");
        assertThat(problem.format()).isEqualTo(problem.location() + ": b: expected a duration, got '2'");
        assertThat(problem).hasToString(problem.format());
    }

    @Test
    void anUnknownOriginSaysSo() {
        assertThat(new SettingsProblem(null, "b", "expected x").format()).isEqualTo("<unknown>: b: expected x");
    }

    @Test
    void underPutsThePrefixBeforeThePath() {
        SettingsProblem problem = new SettingsProblem(null, "tls.ca-file", "expected a file");

        assertThat(problem.under("patrol.checks.home").path()).isEqualTo("patrol.checks.home.tls.ca-file");
        assertThat(new SettingsProblem(null, "", "expected a block")
                        .under("patrol.checks.home")
                        .path())
                .isEqualTo("patrol.checks.home");
    }

    @Test
    void anInvalidSettingsExceptionListsEveryProblemAndNeedsOne() {
        List<SettingsProblem> problems =
                List.of(new SettingsProblem(null, "a", "expected x"), new SettingsProblem(null, "b", "expected y"));

        InvalidSettingsException error = new InvalidSettingsException(problems);

        assertThat(error.problems()).isEqualTo(problems);
        assertThat(error).hasMessage("<unknown>: a: expected x\n<unknown>: b: expected y");
        assertThatThrownBy(() -> new InvalidSettingsException(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
