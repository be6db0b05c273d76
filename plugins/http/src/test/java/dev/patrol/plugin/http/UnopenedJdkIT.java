package dev.patrol.plugin.http;

import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without the {@code --add-opens} that let the pool close a connection the JDK client left open, a JDK 21+ client
 * that failed that way is retired and shut down instead, which closes the connection too. Runs the pool in a JDK 21+
 * JVM of its own (the one in {@code PATROL_TEST_JDK21}, else Temurin 25 where Debian puts it); skipped without one.
 */
class UnopenedJdkIT {
    private static final int RUNS = 10;

    @TempDir
    Path dir;

    @Test
    void aClientThatCannotReleaseItsConnectionIsShutDownOnJdk21() throws Exception {
        Path java = jdk21();
        assumeThat(java).as("a JDK 21+ to run the probe in").isNotNull();
        byte[] big = new byte[1024 * 1024];
        Arrays.fill(big, (byte) 'a');
        try (RawHttpServer server = RawHttpServer.start(out -> {
            out.write("HTTP/1.1 200 OK\r\nX-Big: ".getBytes(StandardCharsets.US_ASCII));
            out.write(big);
            out.write("\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
        })) {
            Path output = dir.resolve("probe.log");
            Process probe = new ProcessBuilder(List.of(
                            java.toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            LeakProbe.class.getName(),
                            server.url("/"),
                            String.valueOf(RUNS)))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> read(output).contains("sent " + RUNS));
                await().atMost(Duration.ofSeconds(30)).until(() -> server.openConnections() <= 1);
            } finally {
                probe.getOutputStream().close();
                probe.destroy();
            }
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static Path jdk21() {
        String configured = System.getenv("PATROL_TEST_JDK21");
        for (String home :
                new String[] {configured, "/usr/lib/jvm/temurin-25-jdk-amd64", "/usr/lib/jvm/java-21-openjdk-amd64"}) {
            if (home != null && Files.isExecutable(Path.of(home, "bin", "java"))) {
                return Path.of(home, "bin", "java");
            }
        }
        return null;
    }
}
