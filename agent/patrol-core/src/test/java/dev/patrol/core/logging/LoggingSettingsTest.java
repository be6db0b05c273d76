package dev.patrol.core.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsProblem;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LoggingSettingsTest {
    private static final Config DEFAULTS = ConfigFactory.parseString("level = info, repeat-interval = 5m, loggers {}");

    private static LoggingSettings from(String text) {
        return LoggingSettings.from(ConfigFactory.parseString(text).withFallback(DEFAULTS));
    }

    @Test
    void readsTheLevelsAndFlattensUnquotedLoggerNames() {
        LoggingSettings settings = from(
                """
                level = warn
                repeat-interval = 0s
                loggers { dev.patrol.core = debug, "patrol.check.homepage" = trace }
                """);

        assertThat(settings.level()).isEqualTo(LogLevel.WARN);
        assertThat(settings.repeatInterval()).isEqualTo(Duration.ZERO);
        assertThat(settings.loggers())
                .isEqualTo(Map.of("dev.patrol.core", LogLevel.DEBUG, "patrol.check.homepage", LogLevel.TRACE));
        assertThat(settings.renamedLoggers()).isEmpty();
    }

    @Test
    void collectsEveryProblemWithPathsRelativeToTheBlock() {
        InvalidSettingsException e = catchThrowableOfType(
                InvalidSettingsException.class,
                () -> from("level = loud, repeat-interval = forever, loggers { a { b = 5 }, c = nope }"));

        assertThat(e.problems())
                .extracting(SettingsProblem::path)
                .containsExactlyInAnyOrder("level", "repeat-interval", "loggers.a.b", "loggers.c");
    }

    @Nested
    class MovedPackages {
        @Test
        void aLevelForAnOldTransportLoggerAppliesToItsNewName() {
            LoggingSettings settings = from(
                    """
                    loggers {
                      "dev.patrol.transport.ssh" = debug
                      dev.patrol.transport.http.HttpClients = trace
                    }
                    """);

            assertThat(settings.loggers())
                    .containsEntry("dev.patrol.transport.ssh", LogLevel.DEBUG)
                    .containsEntry("dev.patrol.transport.http.HttpClients", LogLevel.TRACE);
            assertThat(settings.renamedLoggers())
                    .isEqualTo(Map.of(
                            "dev.patrol.transport.ssh", "dev.patrol.transport.ssh",
                            "dev.patrol.transport.http.HttpClients", "dev.patrol.transport.http.HttpClients"));
        }

        @Test
        void theNewNamesOwnLevelWins() {
            LoggingSettings settings =
                    from("loggers { \"dev.patrol.transport.ssh\" = debug, \"dev.patrol.transport.ssh\" = warn }");

            assertThat(settings.loggers()).containsEntry("dev.patrol.transport.ssh", LogLevel.WARN);
            assertThat(settings.renamedLoggers()).containsOnlyKeys("dev.patrol.transport.ssh");
        }

        @Test
        void namesThatOnlyLookAlikeAreKept() {
            LoggingSettings settings = from("loggers { \"dev.patrol.core\" = debug, \"dev.patrol.core.sshd\" = warn }");

            assertThat(settings.loggers()).containsOnlyKeys("dev.patrol.core", "dev.patrol.core.sshd");
            assertThat(settings.renamedLoggers()).isEmpty();
        }

        @Test
        void logbackGetsTheLevelUnderTheNewName() {
            LoggerContext context = new LoggerContext();

            LogLevels.apply(context, from("loggers { \"dev.patrol.transport.ssh\" = debug }"));

            assertThat(context.getLogger("dev.patrol.transport.ssh.SshSessionPool")
                            .getEffectiveLevel())
                    .isEqualTo(Level.DEBUG);
            assertThat(context.getLogger("dev.patrol.transport.http.HttpClients")
                            .getEffectiveLevel())
                    .isEqualTo(Level.INFO);
        }
    }
}
