package dev.patrol.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.patrol.transport.ssh.SshSettings;
import org.junit.jupiter.api.Test;

/**
 * The transport carries the {@code patrol.ssh} defaults as Java values so that tools and tests without core's
 * reference.conf (plugin tests) use the agent's real defaults; the two must never drift apart.
 */
class SshDefaultsTest {

    @Test
    void referenceConfAndTheTransportAgreeOnTheDefaults() {
        var block = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf")
                .getConfig("patrol.ssh");

        assertThat(SshSettings.from(block)).isEqualTo(SshSettings.defaults());
    }
}
