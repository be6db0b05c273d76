package dev.patrol.testing;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Debian nginx ({@code /usr/sbin/nginx}) on 127.0.0.1 at free ephemeral ports, run in the foreground with a
 * config generated into a directory of the test's own: {@code nginx -p <dir> -c nginx.conf -g 'daemon off;'}. Static
 * files are served from {@link #root()}; extra locations take raw nginx directives.
 *
 * <pre>{@code
 * try (NginxServer nginx = NginxServer.create(tempDir)
 *         .file("health", "ok\n")
 *         .location("/slow/", "limit_rate 1k;")
 *         .tls(certs.server(notAfter))            // optional: adds an HTTPS port with HTTP/2
 *         .start()) {
 *     URI uri = URI.create(nginx.url("/health"));  // http://127.0.0.1:<port>/health
 * }
 * }</pre>
 *
 * <p>Configure before {@link #start()}; files may be added at any time. Every server has {@code /-/stub_status}
 * (nginx's connection counters). Skips the calling test when nginx is missing (fails under CI). Not thread-safe.
 */
public final class NginxServer implements AutoCloseable {
    /** nginx's connection counters: "Active connections: N" and so on. */
    public static final String STUB_STATUS = "/-/stub_status";

    private static final int START_ATTEMPTS = 3;
    private static final long READY_TIMEOUT_MILLIS = 10_000;

    private final Path nginx;
    private final Path prefix;
    private final List<String> locations = new ArrayList<>();
    private final List<String> serverDirectives = new ArrayList<>();
    private final List<String> httpDirectives = new ArrayList<>();
    private TestCertificates.Issued tlsCertificate;
    private Process process;
    private int port = -1;
    private int tlsPort = -1;

    private NginxServer(Path nginx, Path prefix) {
        this.nginx = nginx;
        this.prefix = prefix;
    }

    /** A server whose config, logs and files live under {@code dir}; not started yet. */
    public static NginxServer create(Path dir) {
        Path binary = TestPeers.require("/usr/sbin/nginx");
        try {
            for (String sub : new String[] {"html", "logs", "tmp"}) {
                Files.createDirectories(dir.resolve(sub));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new NginxServer(binary, dir.toAbsolutePath());
    }

    /** Serves {@code content} as UTF-8 at {@code /path}; the type follows the extension (.json, .html, .txt). */
    public NginxServer file(String path, String content) {
        return file(path, content.getBytes(StandardCharsets.UTF_8));
    }

    public NginxServer file(String path, byte[] content) {
        try {
            Path file = fileAt(path);
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Serves {@code size} zero bytes at {@code /path} from a sparse file, so a huge body costs no disk. */
    public NginxServer largeFile(String path, long size) {
        try (RandomAccessFile file = new RandomAccessFile(fileAt(path).toFile(), "rw")) {
            file.setLength(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Adds {@code location <match> { <directives> }}, e.g. {@code location("/slow/", "limit_rate 1k;")} or
     * {@code location("= /old", "return 301 /new;")}.
     */
    public NginxServer location(String match, String directives) {
        locations.add("location " + match + " {\n      " + directives + "\n    }");
        return this;
    }

    /** Adds raw directives to the {@code server} block, e.g. {@code "keepalive_timeout 0;"}. */
    public NginxServer serverDirective(String directive) {
        serverDirectives.add(directive);
        return this;
    }

    /**
     * Adds raw directives to the {@code http} block, for those valid only there, e.g.
     * {@code "limit_req_zone $binary_remote_addr zone=api:1m rate=10r/s;"}.
     */
    public NginxServer httpDirective(String directive) {
        httpDirectives.add(directive);
        return this;
    }

    /** Also listen for HTTPS (TLS with HTTP/2) on {@link #tlsPort()} with this certificate and key. */
    public NginxServer tls(TestCertificates.Issued certificate) {
        this.tlsCertificate = certificate;
        return this;
    }

    /** Starts nginx and waits until its ports accept connections; retries when a chosen port was taken meanwhile. */
    public NginxServer start() {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            port = TestPorts.free();
            tlsPort = tlsCertificate == null ? -1 : TestPorts.free();
            try {
                writeConfig();
                launch();
                return this;
            } catch (IllegalStateException e) {
                last = e;
                stop();
            }
        }
        throw last;
    }

    /** The plain HTTP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The HTTPS port on 127.0.0.1, or -1 without {@link #tls}. */
    public int tlsPort() {
        return tlsPort;
    }

    /** {@code http://127.0.0.1:<port><path>}; {@code path} starts with a slash. */
    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** {@code https://127.0.0.1:<tlsPort><path>}. */
    public String tlsUrl(String path) {
        return "https://127.0.0.1:" + tlsPort + path;
    }

    /** The document root; {@code /x} is served from {@code root()/x}. */
    public Path root() {
        return prefix.resolve("html");
    }

    /** The directory nginx runs in, for files a location refers to (such as an htpasswd file). */
    public Path prefix() {
        return prefix;
    }

    /** nginx's error log so far, for assertion messages. */
    public String errorLog() {
        try {
            Path log = prefix.resolve("logs/error.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(error log unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Connections nginx holds open now, not counting the one this query uses: how a test sees whether a client
     * released its connection.
     */
    public int activeConnections() {
        return NginxStubStatus.query(port).active();
    }

    /**
     * Connections nginx has accepted since it started, not counting the one this query uses: how a test sees
     * whether a client reused a kept-alive connection.
     */
    public long acceptedConnections() {
        return NginxStubStatus.query(port).accepted();
    }

    /** Stops nginx (SIGTERM, then SIGKILL after 5 s) together with its worker processes. */
    public void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private Path fileAt(String path) throws IOException {
        Path file =
                root().resolve(path.startsWith("/") ? path.substring(1) : path).normalize();
        if (!file.startsWith(root())) {
            throw new IllegalArgumentException("path escapes the document root: " + path);
        }
        Files.createDirectories(file.getParent());
        return file;
    }

    private void writeConfig() {
        String conf =
                NginxConfig.render(prefix, port, tlsPort, tlsCertificate, httpDirectives, serverDirectives, locations);
        try {
            Files.writeString(prefix.resolve("nginx.conf"), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch() {
        try {
            process = new ProcessBuilder(
                            nginx.toString(), "-p", prefix.toString(), "-c", "nginx.conf", "-g", "daemon off;")
                    .redirectErrorStream(true)
                    .redirectOutput(prefix.resolve("logs/stdout.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MILLIS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited with " + process.exitValue() + ": " + startupOutput());
            }
            if (accepts(port) && (tlsPort < 0 || accepts(tlsPort))) {
                return;
            }
            sleep(20);
        }
        throw new IllegalStateException("nginx did not listen within 10 s: " + startupOutput());
    }

    private String startupOutput() {
        try {
            return Files.readString(prefix.resolve("logs/stdout.log")) + errorLog();
        } catch (IOException e) {
            return errorLog();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for nginx", e);
        }
    }
}
