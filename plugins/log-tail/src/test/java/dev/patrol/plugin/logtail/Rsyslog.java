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
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real rsyslogd (Debian package {@code rsyslog}) started by hand in the foreground on 127.0.0.1 at a free port, with
 * its own config: {@code imtcp} in, plain or over TLS, every message's MSG part written one per line to
 * {@link #output()}. Never the system service. Skips the calling test when rsyslogd (or, for TLS, its GnuTLS driver)
 * is missing (fails under CI).
 */
final class Rsyslog implements AutoCloseable {
    private final Path rsyslogd;
    private final Path dir;
    private final int port = TestPorts.free();
    private Process process;

    /**
     * TLS on the listener: rsyslog's GnuTLS stream driver (Debian package {@code rsyslog-gnutls}).
     *
     * @param caFile the CA that client certificates must chain to
     * @param certFile the server's certificate
     * @param keyFile its private key
     * @param authMode {@code anon} (no client certificate asked) or {@code x509/certvalid} (one is required)
     */
    record Tls(Path caFile, Path certFile, Path keyFile, String authMode) {}

    Rsyslog(Path dir) throws IOException {
        this(dir, null);
    }

    Rsyslog(Path dir, Tls tls) throws IOException {
        this.rsyslogd = TestPeers.require("/usr/sbin/rsyslogd");
        this.dir = Files.createDirectories(dir);
        if (tls != null) {
            requireGnuTlsDriver();
        }
        String global = tls == null
                ? ""
                : " defaultNetstreamDriverCAFile=\"" + tls.caFile() + "\" defaultNetstreamDriverCertFile=\""
                        + tls.certFile() + "\" defaultNetstreamDriverKeyFile=\"" + tls.keyFile() + "\"";
        String driver = tls == null
                ? ""
                : " streamDriver.name=\"gtls\" streamDriver.mode=\"1\" streamDriver.authMode=\"" + tls.authMode()
                        + "\"";
        Files.writeString(
                dir.resolve("rsyslog.conf"),
                "global(workDirectory=\"" + dir + "\"" + global + ")\n"
                        + "module(load=\"imtcp\"" + driver + ")\n"
                        + "template(name=\"msg\" type=\"string\" string=\"%msg%|%structured-data%\\n\")\n"
                        + "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + port + "\" ruleset=\"out\")\n"
                        + "ruleset(name=\"out\") { action(type=\"omfile\" file=\"" + output() + "\" template=\"msg\")"
                        + " }\n");
    }

    /** rsyslog loads its GnuTLS driver from its module directory (multiarch on Debian) only when it is installed. */
    private static void requireGnuTlsDriver() throws IOException {
        try (Stream<Path> libs = Files.list(Path.of("/usr/lib"))) {
            boolean found = libs.anyMatch(lib -> Files.isRegularFile(lib.resolve("rsyslog/lmnsd_gtls.so")))
                    || Files.isRegularFile(Path.of("/usr/lib/rsyslog/lmnsd_gtls.so"));
            if (!found) {
                String message =
                        "rsyslog's GnuTLS driver lmnsd_gtls.so is not installed (Debian package rsyslog-gnutls)";
                if (TestPeers.isCi()) {
                    Assertions.fail(message);
                }
                Assumptions.abort(message);
            }
        }
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
