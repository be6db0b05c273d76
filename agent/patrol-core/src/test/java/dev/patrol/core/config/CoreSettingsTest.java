package dev.patrol.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsProblem;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The agent's own blocks read into records, as plugins read theirs: paths relative to the block. */
class CoreSettingsTest {
    private static final Config REFERENCE = ConfigFactory.parseResources("reference.conf");

    private static Config block(String name, String text) {
        return ConfigFactory.parseString(text).withFallback(REFERENCE.getConfig("patrol." + name));
    }

    @Nested
    class Web {
        @Test
        void readsTheListenerOverTheDefaults() {
            WebSettings web = WebSettings.from(block("web", "listen = \"[::1]:9741\", max-threads = 8"), Path.of("."));

            assertThat(web).isEqualTo(new WebSettings("::1", 9741, 8, 512, 30_000, 10_000));
        }

        @Test
        void collectsEveryProblem() {
            InvalidSettingsException e = catchThrowableOfType(
                    InvalidSettingsException.class,
                    () -> WebSettings.from(
                            block("web", "listen = nohost, max-threads = 1, tls.cert-file = missing.pem"),
                            Path.of(".")));

            assertThat(e.problems())
                    .extracting(SettingsProblem::path)
                    .containsExactlyInAnyOrder("listen", "max-threads", "tls.cert-file", "tls.cert-file");
        }
    }

    @Nested
    class Limits {
        @Test
        void readsEveryLimit() {
            assertThat(LimitsSettings.from(
                            block("limits", "max-in-flight = 7, blocking-threads = 3, max-ssh-handshakes = 4")))
                    .isEqualTo(new LimitsSettings(7, 64, 5000, 3, 4));
        }

        @Test
        void collectsEveryProblem() {
            InvalidSettingsException e = catchThrowableOfType(
                    InvalidSettingsException.class,
                    () -> LimitsSettings.from(block("limits", "max-in-flight = 0, blocking-threads = many")));

            assertThat(e.problems())
                    .extracting(problem -> problem.path() + ": " + problem.expected())
                    .containsExactlyInAnyOrder(
                            "max-in-flight: expected an integer from 1 to 1000000, got 0",
                            "blocking-threads: expected an integer, got 'many'");
        }
    }
}
