package dev.patrol.core.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code logback.xml} loads without a warning. Its {@code NopStatusListener} keeps logback's own
 * complaints (a removed or deprecated element, an unknown converter) off stderr, so they are checked here instead.
 */
class LogbackXmlTest {

    @Test
    void loadsWithoutWarnings() throws Exception {
        URL xml = LogbackXmlTest.class.getResource("/logback.xml");
        assertThat(xml).isNotNull();
        LoggerContext context = new LoggerContext();
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(xml);

            assertThat(context.getStatusManager().getCopyOfStatusList())
                    .filteredOn(status -> status.getEffectiveLevel() >= Status.WARN)
                    .extracting(Status::getMessage)
                    .isEmpty();
            assertThat(context.getLogger("org.apache.sshd").getLevel()).hasToString("WARN");
        } finally {
            context.stop();
        }
    }
}
