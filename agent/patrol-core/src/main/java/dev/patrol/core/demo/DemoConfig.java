package dev.patrol.core.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the demo's configuration: the shipped {@code conf/demo.conf} behind a {@code demo { ... }} block that tells
 * it where the embedded targets listen. The file is real HOCON in a temp folder, so a newcomer can open it, copy it,
 * and run {@code patrol check-config} on it.
 */
public final class DemoConfig {
    private static final String RESOURCE = "/dev/patrol/core/demo/demo.conf";

    private DemoConfig() {}

    public static Path write(DemoTargets targets, String listen) throws IOException {
        Path dir = Files.createTempDirectory("patrol-demo-");
        Path file = dir.resolve("patrol.conf");
        String header = "## Written by `patrol demo`: where the embedded demo targets listen.\n"
                + "demo {\n"
                + "  http = \"" + targets.address() + "\"\n"
                + "  http-port = " + targets.port() + "\n"
                + "  listen = \"" + listen + "\"\n"
                + "  state-dir = \"" + dir.resolve("state").toString().replace("\\", "/") + "\"\n"
                + "}\n\n";
        Files.writeString(file, header + shippedConfig(), StandardCharsets.UTF_8);
        return file;
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
