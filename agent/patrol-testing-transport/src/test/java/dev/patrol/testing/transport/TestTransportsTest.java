package dev.patrol.testing.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.transport.ssh.SshSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings plugin ITs run with are the agent's defaults with only what the test sets changed. */
class TestTransportsTest {

    @Test
    void keysATestLeavesOutTakeTheAgentsDefaults() {
        SshSettings settings = TestTransports.sshSettings(
                Map.of("user", "probe", "known-hosts", Path.of("/tmp/kh"), "max-channels", 2));

        SshSettings defaults = SshSettings.defaults();
        assertThat(settings)
                .usingRecursiveComparison()
                .ignoringFields("user", "knownHosts", "maxChannels")
                .isEqualTo(defaults);
        assertThat(settings.user()).isEqualTo("probe");
        assertThat(settings.knownHosts()).isEqualTo(Path.of("/tmp/kh"));
        assertThat(settings.maxChannels()).isEqualTo(2);
    }

    @Test
    void httpClientsAreTheAgentsPoolAndClose() throws Exception {
        try (var clients = TestTransports.httpClients(1)) {
            assertThat(clients).isNotNull();
        }
    }
}
