package dev.patrol.core.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogLevelsTest {
    private final LoggerContext context = new LoggerContext();

    private static LoggingSettings settings(LogLevel root, Map<String, LogLevel> loggers, Duration repeat) {
        return new LoggingSettings(root, loggers, repeat);
    }

    @Test
    void setsTheRootAndNamedLoggers() {
        LogLevels.apply(
                context,
                settings(
                        LogLevel.WARN,
                        Map.of("patrol.check.homepage", LogLevel.DEBUG, "dev.patrol.transport.ssh", LogLevel.TRACE),
                        Duration.ofMinutes(5)));

        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("patrol.check.homepage").getLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("dev.patrol.transport.ssh").getLevel()).isEqualTo(Level.TRACE);
        assertThat(context.getLogger("patrol.check.other").getEffectiveLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void aLoggerDroppedOnReloadGetsBackItsOwnLevel() {
        context.getLogger("org.quartz").setLevel(Level.WARN);
        LogLevels.apply(
                context,
                settings(
                        LogLevel.INFO,
                        Map.of("org.quartz", LogLevel.DEBUG, "patrol.check.homepage", LogLevel.DEBUG),
                        Duration.ofMinutes(5)));
        assertThat(context.getLogger("org.quartz").getLevel()).isEqualTo(Level.DEBUG);

        LogLevels.apply(context, settings(LogLevel.ERROR, Map.of(), Duration.ofMinutes(5)));

        assertThat(context.getLogger("org.quartz").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("patrol.check.homepage").getLevel()).isNull();
        assertThat(context.getLogger("patrol.check.homepage").getEffectiveLevel())
                .isEqualTo(Level.ERROR);
    }

    @Test
    void setsTheRepeatIntervalOfTheRootAppendersFilter() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.setContext(context);
        RepeatedMessageFilter filter = new RepeatedMessageFilter();
        filter.start();
        appender.addFilter(filter);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);

        LogLevels.apply(context, settings(LogLevel.INFO, Map.of(), Duration.ZERO));
        for (int i = 0; i < 3; i++) {
            context.getLogger("x").atError().addKeyValue("target", "t").log("Same");
        }

        assertThat(appender.list).hasSize(3);
    }
}
