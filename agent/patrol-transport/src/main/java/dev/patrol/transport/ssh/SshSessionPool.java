package dev.patrol.transport.ssh;

import dev.patrol.api.CheckContext;
import dev.patrol.api.CommandResult;
import dev.patrol.api.FileListing;
import dev.patrol.api.Reason;
import dev.patrol.api.RemoteFileReader;
import dev.patrol.api.SshFailure;
import dev.patrol.api.SshSessions;
import dev.patrol.api.Target;
import dev.patrol.transport.DaemonThreads;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Patrol's SSH sessions: one hardened MINA {@link SshClient} for the process and one authenticated connection per
 * target (user, host, port and credentials), shared by every check on it, with an exec channel per command and at most
 * {@code max-channels} of them open at once per connection. See {@link SshClients} for what is changed from MINA's
 * defaults, {@link TargetConnection} for the connection's life, {@link CommandRun} for a command's.
 *
 * <p>Settings are resolved per target when the configuration is loaded ({@link SshSettingsByTarget}) and replaced on
 * reload with {@link #update(SshSettingsByTarget)}. Connections made with old settings stay until idle.
 *
 * <pre>{@code
 * try (SshSessionPool pool = new SshSessionPool(SshSettingsByTarget.of(SshSettings.defaults()), metrics)) {
 *     pool.exec(target, "uptime", 64 * 1024, context).thenAccept(result -> ...);
 * }
 * }</pre>
 *
 * <p>Thread-safe; {@link #exec} never blocks.
 */
public final class SshSessionPool implements SshSessions, AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(SshSessionPool.class);
    private static final int RETIRED_RETRIES = 3;

    private record Key(String host, int port, SshSettings settings) {}

    private final SshClient client;
    private final SshMetrics metrics;
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadPoolExecutor blocking;
    private final ThreadPoolExecutor sftp;
    private final SessionOpener opener;
    private final SftpChannels sftpChannels;
    private final HandshakeQueue handshakes;
    private final Map<Key, TargetConnection> connections = new ConcurrentHashMap<>();
    private volatile SshSettingsByTarget settings;

    private volatile boolean closed;

    /** Starts the client with the settings of every target; the defaults set its timeouts. */
    public SshSessionPool(SshSettingsByTarget settings, SshMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("patrol-ssh-timer"));
        timer.setRemoveOnCancelPolicy(true);
        // Name resolution and key files block: a few threads of their own, never MINA's I/O threads.
        this.blocking = new ThreadPoolExecutor(
                4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), DaemonThreads.named("patrol-ssh-connect"));
        blocking.allowCoreThreadTimeOut(true);
        // SFTP reads block in MINA's client API: bounded threads of their own, each holding a channel permit.
        this.sftp = new ThreadPoolExecutor(
                8, 8, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), DaemonThreads.named("patrol-sftp"));
        sftp.allowCoreThreadTimeOut(true);
        this.client = SshClients.create(settings, new HostKeyVerifier());
        this.opener = new SessionOpener(client, blocking, timer);
        this.sftpChannels = new SftpChannels(metrics);
        this.handshakes = new HandshakeQueue(opener);
        metrics.handshakeCounts(() -> new int[] {handshakes.inProgress(), handshakes.waiting()});
        metrics.sessionStates(this::stateCounts);
        timer.scheduleWithFixedDelay(this::retireIdle, 1, 1, TimeUnit.SECONDS);
    }

    /** Replaces the settings after a reload; new connections use them. */
    public void update(SshSettingsByTarget next) {
        this.settings = next;
        SshClients.applyTimeouts(client, next);
    }

    /**
     * Bounds the SSH handshakes in progress at once across every target ({@code patrol.limits.max-ssh-handshakes});
     * more wait their turn. Without a call there is no bound. Raising it on a reload starts queued handshakes at once.
     */
    public void limitHandshakes(int max) {
        handshakes.resize(max);
    }

    @Override
    public CompletionStage<CommandResult> exec(
            Target target, String command, int maxOutputBytes, CheckContext context) {
        int cap = maxOutputBytes > 0 ? maxOutputBytes : settingsFor(target).maxOutputBytes();
        return onConnection(target, connection -> connection.exec(command, cap, context));
    }

    @Override
    public CompletionStage<FileListing> stat(Target target, List<String> patterns, int maxFiles, CheckContext context) {
        String command;
        try {
            command = StatCommand.command(patterns, maxFiles);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        // Each line is a path plus about 40 bytes; a cap keeps a pathological listing from filling memory.
        int cap = Math.min(64 * 1024 * 1024, (maxFiles + 1) * 4200);
        return exec(target, command, cap, context)
                .thenApply(result -> StatCommand.parse(result, maxFiles, target.name()));
    }

    @Override
    public CompletionStage<byte[]> read(Target target, String path, long offset, int maxBytes, CheckContext context) {
        if (offset < 0 || maxBytes < 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("negative offset or length"));
        }
        return onConnection(
                target,
                connection -> connection.onChannel(
                        (session, outcome) -> SftpRead.read(sftpChannels, session, path, offset, maxBytes, outcome),
                        sftp,
                        context));
    }

    @Override
    public CompletionStage<RemoteFileReader> openReader(Target target, CheckContext context) {
        CompletableFuture<RemoteFileReader> opened = onConnection(
                target,
                connection -> connection.holdChannel(
                        (session, release) -> SftpFileReader.open(
                                sftpChannels,
                                session,
                                context.cancelled().toCompletableFuture()::isDone,
                                sftp,
                                release,
                                target.name()),
                        sftp,
                        context));
        // The deadline (or a shutdown) closes the reader, which ends a read blocked on the network.
        opened.thenAccept(reader -> context.cancelled().thenRun(reader::close));
        return opened;
    }

    /**
     * Runs {@code work} on the target's connection, opening one if needed. {@code work} returns {@code null} when the
     * connection was retired between the lookup and the use; a fresh one is tried then.
     */
    private <T> CompletableFuture<T> onConnection(
            Target target, Function<TargetConnection, CompletableFuture<T>> work) {
        if (closed) {
            return CompletableFuture.failedFuture(new SshFailure(Reason.CONNECTION_FAILED, "the SSH pool is closed"));
        }
        Key key = new Key(target.host(), target.port(), settingsFor(target));
        for (int attempt = 0; attempt < RETIRED_RETRIES; attempt++) {
            TargetConnection connection = connections.computeIfAbsent(
                    key,
                    k -> new TargetConnection(
                            target.name(), k.host(), k.port(), k.settings(), handshakes, timer, metrics));
            CompletableFuture<T> result = work.apply(connection);
            if (result != null) {
                return result;
            }
            connections.remove(key, connection); // retired between lookup and use
        }
        return CompletableFuture.failedFuture(new SshFailure(Reason.CONNECTION_FAILED, "the SSH pool is closed"));
    }

    /** Opens SFTP channels on a session this pool gave, asking again while the server refuses one for now. */
    public SftpChannels sftpChannels() {
        return sftpChannels;
    }

    /**
     * Runs {@code work} with the target's authenticated session, the same connection {@link #exec} uses, for what
     * needs more than an exec channel (SFTP). {@code work} is called on MINA's I/O thread or the caller's: it must
     * hand blocking work to an executor of its own. The connection is kept open until its stage completes.
     */
    public <T> CompletableFuture<T> withSession(Target target, Function<ClientSession, CompletionStage<T>> work) {
        return onConnection(target, connection -> connection.withSession(work));
    }

    /**
     * Runs {@code work} with the target's authenticated session once one of its channel permits is free, for a job's
     * SFTP channel: unlike {@link #withSession}, the channel counts against {@code max-channels} beside the checks'
     * commands, and {@code work} may take more channels without waiting ({@link SpareChannels}). {@code cancelled}
     * gives up the wait. The same threading rules as {@link #withSession}.
     */
    public <T> CompletableFuture<T> withChannel(
            Target target,
            CompletionStage<?> cancelled,
            BiFunction<ClientSession, SpareChannels, CompletionStage<T>> work) {
        return onConnection(target, connection -> connection.withChannel(cancelled, work));
    }

    /** The effective settings of {@code target}: its {@code ssh} block over the global one, resolved at load. */
    public SshSettings settingsFor(Target target) {
        return settings.of(target);
    }

    /** Channels in use across all connections: open, opening or closing; for tests that look for leaks. */
    public int channelsInUse() {
        return connections.values().stream()
                .mapToInt(TargetConnection::channelsInUse)
                .sum();
    }

    /** The agent-wide handshake queue; for tests. */
    HandshakeQueue handshakes() {
        return handshakes;
    }

    int connectionCount() {
        return connections.size();
    }

    private Map<ConnectionState, Integer> stateCounts() {
        Map<ConnectionState, Integer> counts = new EnumMap<>(ConnectionState.class);
        connections.values().forEach(connection -> counts.merge(connection.state(), 1, Integer::sum));
        return counts;
    }

    private void retireIdle() {
        try {
            long now = System.nanoTime();
            connections.forEach((key, connection) -> {
                if (connection.retireIfIdle(now)) {
                    connections.remove(key, connection);
                }
            });
        } catch (RuntimeException e) {
            logger.error("Closing idle SSH connections failed", e);
        }
    }

    /** Closes every connection and stops the client and the pool's threads; later commands fail at once. */
    @Override
    public void close() {
        closed = true;
        handshakes.close();
        connections.values().forEach(TargetConnection::close);
        connections.clear();
        try {
            client.stop();
        } finally {
            timer.shutdownNow();
            blocking.shutdownNow();
            sftp.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
                blocking.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
