package dev.patrol.core.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The written demo config: the header's values reach the shipped demo.conf, which resolves. */
class DemoConfigTest {
    @TempDir
    Path dir;

    @Test
    void sshSettingsAndTargetsPointAtTheDemoServer() throws Exception {
        Config patrol;
        int sshPort;
        Path identity;
        Path knownHosts;
        try (DemoTargets http = DemoTargets.start();
                DemoSshServer ssh = DemoSshServer.start(dir.resolve("ssh"))) {
            Path file = DemoConfig.write(dir, http, ssh, "127.0.0.1:19741");
            patrol = ConfigFactory.parseFile(file.toFile()).resolve().getConfig("patrol");
            sshPort = ssh.port();
            identity = ssh.identityFile();
            knownHosts = ssh.knownHosts();
        }

        assertThat(patrol.getString("ssh.user")).isEqualTo("demo");
        assertThat(patrol.getString("ssh.identity-file")).isEqualTo(identity.toString());
        assertThat(patrol.getString("ssh.known-hosts")).isEqualTo(knownHosts.toString());
        assertThat(patrol.getString("targets.demo-host-1.host")).isEqualTo("127.0.0.1");
        assertThat(patrol.getString("targets.demo-host-2.host")).isEqualTo("localhost");
        assertThat(patrol.getInt("targets.demo-host-1.port")).isEqualTo(sshPort);
        assertThat(patrol.getInt("targets.demo-host-2.port")).isEqualTo(sshPort);
        assertThat(patrol.getConfig("checks").root().keySet())
                .contains("load", "disk", "queue", "node-stats", "hung-job", "api-health", "slow-report");
        assertThat(patrol.getString("checks.node-stats.output")).isEqualTo("prometheus");
        assertThat(patrol.getDuration("checks.hung-job.timeout")).hasSeconds(2);
    }
}
