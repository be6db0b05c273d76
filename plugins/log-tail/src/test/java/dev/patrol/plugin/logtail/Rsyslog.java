package dev.patrol.plugin.logtail;

import static org.awaitility.Awaitility.await;

import dev.patrol.testing.TestPeers;
import dev.patrol.testing.TestPorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real rsyslogd (Debian package {@code rsyslog}) started by hand in the foreground on 127.0.0.1 at a free port, with
 * its own config: {@code imtcp} in, every message's MSG part written one per line to {@link #output()}. Never the
 * system service. Skips the calling test when rsyslogd is missing (fails under CI).
 */
final class Rsyslog implements AutoCloseable {
    private final Path rsyslogd;
    private final Path dir;
    private final int port = TestPorts.free();
    private Process process;

    Rsyslog(Path dir) throws IOException {
        this.rsyslogd = TestPeers.require("/usr/sbin/rsyslogd");
        this.dir = Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("rsyslog.conf"),
                "global(workDirectory=\"" + dir + "\")\n"
                        + "module(load=\"imtcp\")\n"
                        + "template(name=\"msg\" type=\"string\" string=\"%msg%|%structured-data%\\n\")\n"
                        + "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + port + "\" ruleset=\"out\")\n"
                        + "ruleset(name=\"out\") { action(type=\"omfile\" file=\"" + output() + "\" template=\"msg\")"
                        + " }\n");
    }

    int port() {
        return port;
    }

    Path output() {
        return dir.resolve("out.log");
    }

    Rsyslog start() throws IOException {
        process = new ProcessBuilder(
                        rsyslogd.toString(),
                        "-n",
                        "-f",
                        dir.resolve("rsyslog.conf").toString(),
                        "-i",
                        dir.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("rsyslogd.log").toFile()))
                .start();
        await().atMost(Duration.ofSeconds(30)).until(this::listening);
        return this;
    }

    /** SIGTERM, as a service restart does; rsyslog writes out what it received before it exits. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
            process = null;
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }
}
