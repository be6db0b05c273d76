package dev.patrol.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.patrol.core.config.PatrolSettings;
import dev.patrol.core.config.TestPlugins;
import dev.patrol.core.web.ReloadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Reload keeps the running configuration on every kind of failure, and always says so in its two metrics. */
class AgentReloadTest {
    private static final String GOOD =
            """
            patrol.web.listen = "127.0.0.1:0"
            patrol.targets.web-1 { host = "10.0.0.11", labels { role = web } }
            patrol.checks.up { type = ping, targets = "*" }
            """;

    @TempDir
    Path dir;

    @Test
    void aSelectorOverTargetsWithoutTheLabelReloads() throws IOException {
        Path file = write(GOOD);
        try (Agent agent = Agent.start(TestPlugins.source(file))) {
            write(
                    GOOD
                            + """
                    patrol.targets.bare.host = "10.0.0.12"
                    patrol.targets.other { host = "10.0.0.13", labels { env = prod } }
                    patrol.checks.web { type = ping, targets = { role = "web" } }
                    """);

            ReloadResult result = agent.reload();

            assertThat(result.success()).as(result.messages().toString()).isTrue();
            assertThat(result.messages()).containsExactly("Reloaded: 2 checks, 3 targets");
            assertThat(agent.settings().checks().get("web").targets()).hasSize(1);
            assertThat(gauge(agent)).isEqualTo(1.0);
        }
    }

    @Test
    void anInvalidFileKeepsTheRunningConfigAndCountsTheFailure() throws IOException {
        Path file = write(GOOD);
        try (Agent agent = Agent.start(TestPlugins.source(file))) {
            PatrolSettings running = agent.settings();
            write(GOOD + "patrol.checks.up.interval = 1ms\n");

            ReloadResult result = agent.reload();

            assertThat(result.success()).isFalse();
            assertThat(result.messages()).singleElement().asString().contains("patrol.checks.up.interval");
            assertThat(agent.settings()).isSameAs(running);
            assertThat(gauge(agent)).isZero();
            assertThat(failures(agent)).isEqualTo(1.0);
        }
    }

    @Test
    void anUnexpectedFaultWhileLoadingIsAFailedReloadToo() throws IOException {
        Path file = write(GOOD);
        AtomicReference<RuntimeException> fault = new AtomicReference<>();
        ConfigSource loader = TestPlugins.source(file);
        ConfigSource source = () -> {
            if (fault.get() != null) {
                throw fault.get();
            }
            return loader.load();
        };
        try (Agent agent = Agent.start(source)) {
            PatrolSettings running = agent.settings();
            fault.set(new NullPointerException("a bug in the loader"));

            ReloadResult result = agent.reload();

            assertThat(result.success()).isFalse();
            assertThat(result.messages())
                    .singleElement()
                    .asString()
                    .startsWith(file + ": the configuration could not be loaded: java.lang.NullPointerException");
            assertThat(agent.settings()).isSameAs(running);
            assertThat(gauge(agent)).isZero();
            assertThat(failures(agent)).isEqualTo(1.0);

            fault.set(null);
            assertThat(agent.reload().success()).isTrue();
            assertThat(gauge(agent)).isEqualTo(1.0);
        }
    }

    @Test
    void aFaultWhileApplyingRestoresTheRunningConfig() throws IOException {
        Path file = write(GOOD);
        ConfigSource loader = TestPlugins.source(file);
        AtomicReference<Boolean> broken = new AtomicReference<>(false);
        ConfigSource source = () -> {
            PatrolSettings loaded = loader.load();
            // Settings no loader returns, without a checks map: applying them fails half-way through.
            return broken.get()
                    ? new PatrolSettings(
                            loaded.source(),
                            loaded.web(),
                            loaded.logging(),
                            loaded.stateDir(),
                            loaded.pluginsDir(),
                            loaded.limits(),
                            loaded.targets(),
                            null,
                            loaded.config())
                    : loaded;
        };
        try (Agent agent = Agent.start(source)) {
            PatrolSettings running = agent.settings();
            write(GOOD + "patrol.checks.second { type = ping, targets = \"*\" }\n");
            broken.set(true);

            ReloadResult result = agent.reload();

            assertThat(result.success()).isFalse();
            assertThat(result.messages())
                    .singleElement()
                    .asString()
                    .startsWith(file + ": the configuration could not be applied: ");
            assertThat(agent.settings()).isSameAs(running);
            assertThat(gauge(agent)).isZero();
            assertThat(failures(agent)).isEqualTo(1.0);

            broken.set(false);
            assertThat(agent.reload().success()).isTrue();
            assertThat(agent.settings().checks()).containsOnlyKeys("up", "second");
            assertThat(gauge(agent)).isEqualTo(1.0);
        }
    }

    /** Start and reload log the same warnings; a reload shows it without binding beyond loopback in a test. */
    @Test
    void anOpenUnauthenticatedListenerIsLoggedAsAWarning() throws IOException {
        Logger logger = (Logger) LoggerFactory.getLogger(Agent.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        Path file = write(GOOD);
        try (Agent agent = Agent.start(TestPlugins.source(file))) {
            write(GOOD.replace("127.0.0.1:0", "0.0.0.0:0"));

            assertThat(agent.reload().success()).isTrue();
        } finally {
            logger.detachAppender(appender);
        }

        assertThat(appender.list)
                .filteredOn(event -> event.getLevel() == Level.WARN)
                .extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(message -> assertThat(message)
                        .startsWith("patrol.web.listen: 0.0.0.0:0 is reachable beyond this machine"));
    }

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("patrol.conf"), text);
    }

    private static double gauge(Agent agent) {
        return agent.registry().getSampleValue("patrol_config_last_reload_successful");
    }

    private static Double failures(Agent agent) {
        return agent.registry()
                .getSampleValue("patrol_config_reloads_total", new String[] {"result"}, new String[] {"failure"});
    }
}
