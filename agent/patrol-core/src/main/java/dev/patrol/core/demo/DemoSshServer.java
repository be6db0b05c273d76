package dev.patrol.core.demo;

import dev.patrol.transport.DaemonThreads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real SSH server on 127.0.0.1 for {@code patrol demo}, built on Apache MINA SSHD: fresh host and client keys, login
 * only as {@code demo} with the client key, and only the {@link DemoPrograms} to run, never a shell of this machine.
 * It writes the private key (mode 0600) and a known_hosts file naming its host key, so the agent's strict host-key
 * checking passes with nothing to accept.
 *
 * <pre>{@code
 * try (DemoSshServer ssh = DemoSshServer.start(dir)) {
 *     // patrol.ssh { user = ssh.user(), identity-file = ssh.identityFile(), known-hosts = ssh.knownHosts() }
 *     // targets at 127.0.0.1 or localhost, port ssh.port()
 * }
 * }</pre>
 *
 * <p>Thread-safe. Commands run on a small executor of the server's own.
 */
public final class DemoSshServer implements AutoCloseable {
    /** The one user that may log in. */
    public static final String USER = "demo";

    /** The host names the known_hosts file vouches for. */
    static final List<String> HOSTS = List.of("127.0.0.1", "localhost");

    private static final int THREADS = 8;

    private final SshServer server;
    private final ThreadPoolExecutor executor;
    private final AtomicInteger running;
    private final DemoSshFiles files;
    private final int port;
    private final DemoLog log;

    private DemoSshServer(
            SshServer server,
            ThreadPoolExecutor executor,
            AtomicInteger running,
            DemoSshFiles files,
            int port,
            DemoLog log) {
        this.server = server;
        this.executor = executor;
        this.running = running;
        this.files = files;
        this.port = port;
        this.log = log;
    }

    /**
     * Generates the keys into {@code dir} (created, readable only by this user), starts the server at a free port on
     * 127.0.0.1 and writes {@code dir/known_hosts} for it.
     */
    public static DemoSshServer start(Path dir) throws IOException {
        DemoSshFiles files = DemoSshFiles.create(dir);
        KeyPair client;
        try {
            client = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
            files.writeIdentity(client);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot generate the demo's SSH client key", e);
        }
        SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(files.hostKey());
        hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
        hostKeys.setKeySize(256);
        KeyPair hostKey = hostKeys.loadKeys(null).get(0);

        AtomicInteger running = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                THREADS,
                THREADS,
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(64),
                DaemonThreads.named("patrol-demo-ssh"));
        executor.allowCoreThreadTimeOut(true);

        SshServer server = SshServer.setUpDefaultServer();
        server.setHost(HOSTS.get(0));
        server.setPort(0);
        server.setKeyPairProvider(hostKeys);
        // Public-key login as `demo` with the generated key, and nothing else: no password, no keyboard-interactive,
        // no shell, no port forwarding; SFTP shows only the demo's own files.
        server.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        server.setPublickeyAuthenticator(
                (user, key, session) -> USER.equals(user) && KeyUtils.compareKeys(key, client.getPublic()));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setShellFactory(null);
        // SFTP, for the log-tail check and the fetch job, sees only the demo's own files (log, dump) as its root.
        Path sftpRoot = dir.toAbsolutePath().resolve("files");
        DemoLog log = DemoLog.start(sftpRoot, Clock.systemUTC());
        server.setFileSystemFactory(new VirtualFileSystemFactory(sftpRoot));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        DemoPrograms programs = new DemoPrograms(Clock.systemUTC(), Path.of("/"), Path.of("/proc/loadavg"));
        server.setCommandFactory(new DemoCommandFactory(programs.all(), executor, running, sftpRoot));
        try {
            server.start();
            int port = boundPort(server);
            files.writeKnownHosts(HOSTS, port, hostKey.getPublic());
            return new DemoSshServer(server, executor, running, files, port, log);
        } catch (IOException | RuntimeException e) {
            log.close();
            server.stop(true);
            executor.shutdownNow();
            throw e;
        }
    }

    private static int boundPort(SshServer server) {
        for (SocketAddress address : server.getBoundAddresses()) {
            if (address instanceof InetSocketAddress inet) {
                return inet.getPort();
            }
        }
        return server.getPort();
    }

    /** The address the server listens on: always 127.0.0.1. */
    public String host() {
        return HOSTS.get(0);
    }

    public int port() {
        return port;
    }

    /** The user to log in as: {@value #USER}. */
    public String user() {
        return USER;
    }

    /** The client's private key, OpenSSH format, mode 0600. */
    public Path identityFile() {
        return files.identity();
    }

    /** The OpenSSH known_hosts file holding the server's host key for 127.0.0.1 and localhost at {@link #port()}. */
    public Path knownHosts() {
        return files.knownHosts();
    }

    /** How many commands are executing right now. */
    int runningCommands() {
        return running.get();
    }

    /** Stops the server, closing every session, and interrupts commands still running. */
    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            // Stopping immediately closes sockets; a failure there leaves nothing for us to clean up.
        } finally {
            log.close();
            executor.shutdownNow();
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "demo SSH server on " + host() + ":" + port + " (user " + USER + ", key " + files.identity() + ")";
    }
}
