package dev.patrol.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK client's own tracing would print the request line with its query and every header: with the agent's pool
 * it prints nothing, however the JVM was started. Each probe runs in a fresh JVM, because the JDK reads its tracing
 * switches once, when its client classes load.
 */
class JdkTracingIT {
    private static final String[] TRACING = {
        "-Djdk.internal.httpclient.debug=true", "-Djdk.httpclient.HttpClient.log=all"
    };

    @TempDir
    Path dir;

    @Test
    void thePoolKeepsTokensAndCookiesOutOfTheJdkTrace() throws Exception {
        try (RawHttpServer server = RawHttpServer.start(
                out -> out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))) {
            String url = server.url("/health?token=q5ecret");

            String bare = probe("plain", url);
            String pooled = probe("pool", url);

            // The bare client shows what is at stake, so the assertion below can fail.
            assertThat(bare).contains("probe status 200").contains("q5ecret");
            assertThat(pooled)
                    .contains("probe status 200")
                    .contains("Ignoring [jdk.internal.httpclient.debug, jdk.httpclient.HttpClient.log]")
                    .doesNotContain("q5ecret")
                    .doesNotContain("c00kie");
        }
    }

    private String probe(String mode, String url) throws IOException, InterruptedException {
        Path output = dir.resolve(mode + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(TRACING));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TracingProbe.class.getName(), mode, url));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return Files.readString(output);
    }
}
