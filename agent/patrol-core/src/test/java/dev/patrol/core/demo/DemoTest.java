package dev.patrol.core.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's temp folder holds a private SSH key: a start that fails must not leave it behind. (Normal stops and
 * signals are covered end to end by the packaging module's LauncherIT, where the plugins the demo needs exist.)
 */
class DemoTest {

    @Test
    void aFailedStartDeletesTheDemosFiles(@TempDir Path parent) throws IOException {
        Path dir = Files.createDirectory(parent.resolve("patrol-demo-test"));
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // Core's tests have no http or ssh-command plugin, so the demo config is refused after the SSH server
            // wrote its keys; with the plugins present the taken port fails the start instead.
            assertThatThrownBy(() -> Demo.start("127.0.0.1:" + taken.getLocalPort(), dir))
                    .isInstanceOfAny(RuntimeException.class);
        }

        assertThat(dir).doesNotExist();
    }

    @Test
    void deletingRemovesNestedFilesAndToleratesAMissingFolder(@TempDir Path parent) throws IOException {
        Path dir = parent.resolve("demo");
        Files.createDirectories(dir.resolve("ssh"));
        Files.writeString(dir.resolve("ssh/id_ed25519"), "key");
        Files.writeString(dir.resolve("patrol.conf"), "patrol {}");

        Demo.deleteQuietly(dir);
        Demo.deleteQuietly(dir);

        assertThat(dir).doesNotExist();
    }
}
