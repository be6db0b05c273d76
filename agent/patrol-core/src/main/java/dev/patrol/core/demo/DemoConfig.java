package dev.patrol.core.demo;

import com.typesafe.config.ConfigUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the demo's configuration: the shipped {@code conf/demo.conf} behind a {@code demo { ... }} block that tells
 * it where the embedded targets listen and where the demo SSH server's key and known_hosts are. The file is real
 * HOCON in a temp folder, so a newcomer can open it, copy it, and run {@code patrol check-config} on it.
 *
 * <pre>{@code
 * Path dir = DemoConfig.directory();
 * DemoSshServer ssh = DemoSshServer.start(dir.resolve("ssh"));
 * Path file = DemoConfig.write(dir, httpTargets, ssh, "127.0.0.1:9740");
 * }</pre>
 */
public final class DemoConfig {
    private static final String RESOURCE = "/dev/patrol/core/demo/demo.conf";

    private DemoConfig() {}

    /** A new temp folder for one demo's files, readable only by this user where the file system allows. */
    public static Path directory() throws IOException {
        return Files.createTempDirectory("patrol-demo-");
    }

    /** Writes {@code dir/patrol.conf} and returns it. */
    public static Path write(Path dir, DemoTargets targets, DemoSshServer ssh, String listen) throws IOException {
        Path file = dir.resolve("patrol.conf");
        String header = "## Written by `patrol demo`: where its embedded targets listen, and its SSH server's files.\n"
                + "demo {\n"
                + "  http = " + quote(targets.address()) + "\n"
                + "  http-port = " + targets.port() + "\n"
                + "  ssh-port = " + ssh.port() + "\n"
                + "  ssh-identity = " + quote(ssh.identityFile()) + "\n"
                + "  ssh-known-hosts = " + quote(ssh.knownHosts()) + "\n"
                + "  listen = " + quote(listen) + "\n"
                + "  state-dir = " + quote(dir.resolve("state")) + "\n"
                + "}\n\n";
        Files.writeString(file, header + shippedConfig(), StandardCharsets.UTF_8);
        return file;
    }

    private static String quote(Object value) {
        return ConfigUtil.quoteString(value.toString());
    }

    static String shippedConfig() {
        try (InputStream in = DemoConfig.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
