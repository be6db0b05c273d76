package dev.patrol.core.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.prometheus.client.Counter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class RepeatedMessageFilterTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final Counter suppressed =
            Counter.build().name("test_suppressed").help("test").create();
    private final RepeatedMessageFilter filter = new RepeatedMessageFilter(now::get, suppressed);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Logger logger;

    @BeforeEach
    void setUp() {
        LoggerContext context = new LoggerContext();
        filter.setRepeatInterval(Duration.ofMinutes(5));
        filter.start();
        appender.setContext(context);
        appender.addFilter(filter);
        appender.start();
        logger = context.getLogger("patrol.check.homepage");
        logger.addAppender(appender);
    }

    private void fail(String target, int attempt) {
        logger.atWarn().addKeyValue("target", target).log("Connection refused after {} ms", attempt);
    }

    @Test
    void logsTheFirstThenHoldsBackIdenticalLinesAndCountsThem() {
        for (int i = 0; i < 5; i++) {
            fail("web-1", i);
        }

        assertThat(appender.list).hasSize(1);
        assertThat(suppressed.get()).isEqualTo(4);
    }

    @Test
    void theFirstLineAfterTheIntervalNotesHowManyWereHeldBack() {
        for (int i = 0; i < 4; i++) {
            fail("web-1", i);
        }
        now.addAndGet(Duration.ofMinutes(5).toNanos());

        fail("web-1", 99);

        assertThat(appender.list).hasSize(2);
        ILoggingEvent released = appender.list.get(1);
        assertThat(released.getFormattedMessage()).isEqualTo("Connection refused after 99 ms");
        assertThat(released.getKeyValuePairs())
                .extracting(pair -> pair.key, pair -> pair.value)
                .contains(org.assertj.core.groups.Tuple.tuple(RepeatedMessageFilter.SUPPRESSED_KEY, 3L));
        assertThat(new KeyValuesConverter().convert(released))
                .isEqualTo(" target=\"web-1\" (suppressed 3 similar lines)");
    }

    @Test
    void otherTargetsAndOtherMessagesAreLoggedOnTheirOwn() {
        fail("web-1", 1);
        fail("web-2", 1);
        logger.atWarn().addKeyValue("target", "web-1").log("Host key changed");

        assertThat(appender.list).hasSize(3);
        assertThat(suppressed.get()).isZero();
    }

    @Test
    void infoLinesAndLinesWithoutTargetAreNeverHeldBack() {
        for (int i = 0; i < 3; i++) {
            logger.atInfo().addKeyValue("target", "web-1").log("Check recovered");
            logger.atError().log("Reload rejected");
        }

        assertThat(appender.list).hasSize(6);
    }

    @Test
    void theWebServerLibrarysPerConnectionWarningsAreHeldBackByTemplate() {
        Logger jetty = logger.getLoggerContext().getLogger("org.eclipse.jetty.util.thread.QueuedThreadPool");
        jetty.addAppender(appender);
        for (int i = 0; i < 1_000; i++) {
            jetty.warn("{} rejected {}", "pool", "connection " + i);
            jetty.warn("Execute failed");
        }

        assertThat(appender.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("pool rejected connection 0", "Execute failed");
        assertThat(suppressed.get()).isEqualTo(1_998);
    }

    @Test
    void aZeroIntervalLogsEveryLine() {
        filter.setRepeatInterval(Duration.ZERO);

        for (int i = 0; i < 3; i++) {
            fail("web-1", i);
        }

        assertThat(appender.list).hasSize(3);
        assertThat(appender.list).allSatisfy(event -> assertThat(event.getKeyValuePairs())
                .extracting(pair -> pair.key)
                .containsExactly("target"));
    }

    @Test
    void keyValuesAreQuotedAndEscaped() {
        logger.atInfo()
                .addKeyValue("check", "homepage")
                .addKeyValue("reason", "say \"hi\"\nthere")
                .log("Done");

        List<KeyValuePair> pairs = appender.list.get(0).getKeyValuePairs();
        assertThat(pairs).hasSize(2);
        assertThat(new KeyValuesConverter().convert(appender.list.get(0)))
                .isEqualTo(" check=\"homepage\" reason=\"say \\\"hi\\\"\\nthere\"");
    }
}
