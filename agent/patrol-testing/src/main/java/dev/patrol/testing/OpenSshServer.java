package dev.patrol.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real Debian OpenSSH server ({@code /usr/sbin/sshd}) on 127.0.0.1 at a free high port, run in the foreground as
 * the current user with a config, host key and authorized_keys generated into a directory of the test's own:
 * {@code sshd -D -e -f <dir>/sshd_config}. Only public-key authentication is allowed; the log (level VERBOSE) goes
 * to {@link #logFile()} so tests can count {@code Accepted publickey} lines.
 *
 * <pre>{@code
 * try (OpenSshServer sshd = OpenSshServer.create(tempDir).maxSessions(10).start()) {
 *     Path key = sshd.clientKey();                      // ed25519, authorized, mode 0600
 *     SshKeys.writeKnownHosts(knownHosts, List.of(sshd.knownHostsLine(false)));
 *     sshd.kill();                                      // SIGKILL, every session with it
 *     sshd.start();                                     // again, same port and host key
 * }
 * }</pre>
 *
 * <p>Not thread-safe. Skips the calling test when sshd is missing (fails under CI).
 */
public final class OpenSshServer implements AutoCloseable {
    private static final String READY_LINE = "Server listening on";
    private static final long READY_TIMEOUT_MILLIS = 10_000;
    private static final int START_ATTEMPTS = 3;

    private final Path sshd;
    private final Path dir;
    private final Path shared;
    private final Path hostKey;
    private final Path clientKey;
    private final Path authorizedKeys;
    private int maxSessions = 10;
    private boolean pam;
    private String forceCommand;
    private String logLevel = "VERBOSE";
    private int port = -1;
    private Process process;

    private OpenSshServer(Path sshd, Path dir, Path shared) {
        this.sshd = sshd;
        this.dir = dir;
        this.shared = shared;
        this.hostKey = dir.resolve("ssh_host_ed25519_key");
        this.clientKey = dir.resolve("id_ed25519");
        this.authorizedKeys = shared.resolve("authorized_keys");
    }

    /** A server whose files live under {@code dir}, with a fresh host key and client key; not started yet. */
    public static OpenSshServer create(Path dir) {
        Path binary = TestPeers.require("/usr/sbin/sshd");
        Path absolute = dir.toAbsolutePath();
        try {
            Files.createDirectories(absolute);
            // authorized_keys and HOME must be reachable by any login user, and a JUnit temp dir is mode 0700.
            Path shared = Files.createTempDirectory("patrol-sshd-");
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createDirectories(shared.resolve("home"));
            Files.setPosixFilePermissions(shared.resolve("home"), PosixFilePermissions.fromString("rwxrwxrwx"));
            OpenSshServer server = new OpenSshServer(binary, absolute, shared);
            SshKeys.generate(server.hostKey, "ed25519", "");
            SshKeys.generate(server.clientKey, "ed25519", "");
            Files.writeString(server.authorizedKeys, "");
            Files.setPosixFilePermissions(server.authorizedKeys, PosixFilePermissions.fromString("rw-r--r--"));
            server.authorize(server.clientKey);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Like OpenSSH's {@code MaxSessions}: how many channels one connection may have open; default 10. */
    public OpenSshServer maxSessions(int sessions) {
        this.maxSessions = sessions;
        return this;
    }

    /**
     * Turns PAM on ({@code UsePAM yes}; off by default). Without PAM, OpenSSH refuses accounts whose password is
     * locked ({@code !} in /etc/shadow), which is how Debian leaves service users such as the one
     * {@link LoginUsers#unprivileged()} finds.
     */
    public OpenSshServer pam(boolean on) {
        this.pam = on;
        return this;
    }

    /**
     * OpenSSH's {@code ForceCommand}: every session runs {@code command} through the user's login shell instead of
     * what the client asked for, which is in {@code $SSH_ORIGINAL_COMMAND}; {@code null} (the default) turns it off.
     * Takes effect on the next {@link #start()}.
     */
    public OpenSshServer forceCommand(String command) {
        this.forceCommand = command;
        return this;
    }

    /**
     * OpenSSH's {@code LogLevel}: {@code VERBOSE} (the default) logs each login; {@code DEBUG1} also logs each global
     * request a client sends, such as a keepalive ({@code server_input_global_request: rtype ...}). Takes effect on
     * the next {@link #start()}.
     */
    public OpenSshServer logLevel(String level) {
        this.logLevel = level;
        return this;
    }

    /**
     * Sends {@code signal} ("STOP", "CONT") to every process under sshd but not to sshd itself: "STOP" leaves each
     * established connection silent, as a dead network or a hung host would (the kernel still acknowledges its
     * packets), while new logins still reach the listener. Returns how many processes got it.
     */
    public int signalSessions(String signal) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        process.descendants().forEach(handle -> command.add(Long.toString(handle.pid())));
        int signalled = command.size() - 2;
        if (signalled == 0) {
            return 0;
        }
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return signalled;
    }

    /** Every process under sshd, not sshd itself: sessions, their shells and what those run, while they are its own. */
    public List<ProcessHandle> sessionProcesses() {
        return process == null ? List.of() : process.descendants().toList();
    }

    /** Adds the public key of {@code privateKey} to authorized_keys; takes effect for the next login. */
    public OpenSshServer authorize(Path privateKey) {
        try {
            Files.writeString(
                    authorizedKeys,
                    SshKeys.publicKeyText(privateKey) + "\n",
                    StandardCharsets.US_ASCII,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Starts sshd, or starts it again after {@link #stop()} or {@link #kill()} on the same port and host key. */
    public OpenSshServer start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        boolean choosePort = port < 0;
        IOException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            try {
                if (choosePort) {
                    port = TestPorts.free();
                }
                writeConfig();
                if (launch()) {
                    return this;
                }
                last = new IOException("sshd did not start:\n" + log());
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IllegalStateException("Could not start sshd on 127.0.0.1:" + port, last);
    }

    /** Stops sshd with SIGTERM; connections already open keep their session processes, as with a real restart. */
    public void stop() {
        if (process != null) {
            process.destroy();
            waitFor(process);
        }
    }

    /** SIGKILLs sshd and every process under it: each session, its shell and its command, as in a crash. */
    public void kill() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        process.destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
        waitFor(process);
        for (ProcessHandle handle : all) {
            handle.onExit().completeOnTimeout(handle, 5, TimeUnit.SECONDS).join();
        }
    }

    /** Gives the server a new host key, as a reinstalled or impersonated host would have; restarts it if running. */
    public void replaceHostKey() {
        boolean running = process != null && process.isAlive();
        stop();
        SshKeys.generate(hostKey, "ed25519", "");
        if (running) {
            start();
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** The private key of a client that may log in (ed25519, unencrypted, mode 0600). */
    public Path clientKey() {
        return clientKey;
    }

    /** The current host public key as {@code "ssh-ed25519 <base64>"}. */
    public String hostKeyText() {
        return SshKeys.publicKeyText(hostKey);
    }

    /** The known_hosts line for this server's current host key, {@code [127.0.0.1]:port ssh-ed25519 ...}. */
    public String knownHostsLine(boolean hashed) {
        return SshKeys.knownHostsLine(host(), port, hostKeyText(), hashed);
    }

    /** The user tests log in as: the one running sshd. */
    public String user() {
        return System.getProperty("user.name");
    }

    public Path logFile() {
        return dir.resolve("sshd.log");
    }

    /** sshd's log so far, all starts included. */
    public String log() {
        try {
            return Files.exists(logFile()) ? Files.readString(logFile(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many logins succeeded so far: one per TCP connection a client authenticated. */
    public long acceptedLogins() {
        return log().lines().filter(line -> line.contains("Accepted publickey")).count();
    }

    @Override
    public void close() {
        kill();
        try (Stream<Path> files = Files.walk(shared)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temp dir left behind is harmless.
        }
    }

    private boolean launch() throws IOException {
        Path log = logFile();
        long readyBefore = countReadyLines();
        process = new ProcessBuilder(
                        sshd.toString(),
                        "-D",
                        "-e",
                        "-f",
                        dir.resolve("sshd_config").toString())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MILLIS);
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (countReadyLines() > readyBefore) {
                return true;
            }
            sleep(20);
        }
        process.destroyForcibly();
        return false;
    }

    private long countReadyLines() {
        return log().lines().filter(line -> line.contains(READY_LINE)).count();
    }

    private void writeConfig() throws IOException {
        SshdConfig config = new SshdConfig(
                port, hostKey, authorizedKeys, shared.resolve("home"), maxSessions, pam, forceCommand, logLevel);
        config.write(dir.resolve("sshd_config"), dir.resolve("sshd.pid"));
    }

    private static void waitFor(Process process) {
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for sshd", e);
        }
    }
}
