package dev.patrol.transport.ssh;

import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * One attempt to reach a target: resolve, connect, check the host key, authenticate. Each step is bounded by the
 * target's {@code connect-timeout} (TCP) or {@code auth-timeout} (banner, key exchange and login), enforced by our
 * own timer so that a port that accepts and never speaks fails as {@link Reason#TIMEOUT} instead of hanging.
 *
 * <p>Name resolution and key loading block, so they run on {@code blockingExecutor}; everything after is driven by
 * MINA's future listeners. Thread-safe.
 */
final class SessionOpener {
    private final SshClient client;
    private final Executor blockingExecutor;
    private final ScheduledExecutorService timer;
    private final IdentityFiles.Cache identities = new IdentityFiles.Cache();

    SessionOpener(SshClient client, Executor blockingExecutor, ScheduledExecutorService timer) {
        this.client = client;
        this.blockingExecutor = blockingExecutor;
        this.timer = timer;
    }

    /**
     * An authenticated session to {@code host:port}, tunnelled through the {@code proxy-jump} host when one is set.
     * The jump host's session belongs to the target's: it is checked against the same known-hosts file, logs in with
     * the same credentials (and the jump's own user when written), and closes with it. Completes exceptionally with
     * an {@link SshFailure}.
     */
    CompletableFuture<ClientSession> open(String host, int port, SshSettings settings) {
        Attempt attempt = new Attempt(host, port, settings);
        CompletableFuture<ClientSession> via = CompletableFuture.completedFuture(null);
        if (settings.proxyJump() != null) {
            ProxyJump jump = ProxyJump.parse(settings.proxyJump()).orElseThrow();
            via = open(jump.host(), jump.port(), settings.forJump(jump));
        }
        via.whenComplete((jumpSession, jumpError) -> {
            if (jumpError != null) {
                attempt.fail(SshFailures.classify(jumpError, "reach " + attempt.where + " through proxy-jump"));
                return;
            }
            attempt.result.whenComplete((session, error) -> {
                if (jumpSession == null) {
                    return;
                }
                if (error != null) {
                    jumpSession.close(true);
                } else {
                    session.addCloseFutureListener(closed -> jumpSession.close(true));
                    jumpSession.addCloseFutureListener(closed -> session.close(true));
                }
            });
            try {
                blockingExecutor.execute(() -> attempt.connect(jumpSession));
            } catch (RejectedExecutionException e) {
                attempt.fail(new SshFailure(Reason.CONNECTION_FAILED, "the SSH pool is closed"));
            }
        });
        return attempt.result;
    }

    private final class Attempt {
        final String host;
        final int port;
        final SshSettings settings;
        final String where;
        final CompletableFuture<ClientSession> result = new CompletableFuture<>();
        volatile ExplicitPortForwardingTracker tunnel;

        Attempt(String host, int port, SshSettings settings) {
            this.host = host;
            this.port = port;
            this.settings = settings;
            this.where = settings.effectiveUser() + "@" + host + ":" + port;
        }

        void connect(ClientSession jumpSession) {
            try {
                List<KeyPair> keys = settings.identityFile() == null
                        ? List.of()
                        : identities.load(settings.identityFile(), settings.identityPassphrase());
                if (keys.isEmpty() && settings.password() == null) {
                    throw new SshFailure(Reason.AUTH_FAILED, "no identity-file or password is configured for " + where);
                }
                String connectHost = host;
                int connectPort = port;
                if (jumpSession != null) {
                    tunnel = jumpSession.createLocalPortForwardingTracker(
                            new SshdSocketAddress(SshdSocketAddress.LOCALHOST_IPV4, 0),
                            new SshdSocketAddress(host, port));
                    connectHost = SshdSocketAddress.LOCALHOST_IPV4;
                    connectPort = tunnel.getBoundAddress().getPort();
                } else {
                    InetAddress.getByName(host); // DNS_FAILED here, not as an obscure MINA error later
                }
                HostKeyVerifier.Request request =
                        new HostKeyVerifier.Request(host, port, settings.knownHosts(), settings.hostKeyPolicy());
                ConnectFuture connecting =
                        client.connect(settings.effectiveUser(), connectHost, connectPort, request.asContext(), null);
                ScheduledFuture<?> deadline = schedule(settings.connectTimeout(), () -> {
                    connecting.cancel();
                    fail(new SshFailure(
                            Reason.TIMEOUT,
                            "cannot connect to " + where + ": no TCP connection within "
                                    + seconds(settings.connectTimeout())));
                });
                connecting.addListener(future -> {
                    deadline.cancel(false);
                    if (future.isConnected()) {
                        authenticate(future.getClientSession(), keys, request);
                    } else if (!future.isCanceled()) {
                        fail(SshFailures.classify(future.getException(), "connect to " + where));
                    }
                });
            } catch (Throwable e) {
                fail(SshFailures.classify(e, "connect to " + where));
            }
        }

        private void authenticate(ClientSession session, List<KeyPair> keys, HostKeyVerifier.Request request) {
            if (result.isDone()) {
                session.close(true);
                return;
            }
            // This target's auth-timeout, which may differ from the client-wide one; see AUTH_TIMEOUT_BACKSTOP.
            CoreModuleProperties.AUTH_TIMEOUT.set(
                    session, settings.authTimeout().plus(SshClients.AUTH_TIMEOUT_BACKSTOP));
            keys.forEach(session::addPublicKeyIdentity);
            if (settings.password() != null) {
                session.addPasswordIdentity(settings.password().reveal());
            }
            ScheduledFuture<?> deadline = schedule(settings.authTimeout(), () -> {
                fail(new SshFailure(
                        Reason.TIMEOUT,
                        "cannot log in to " + where + ": no SSH handshake and login within "
                                + seconds(settings.authTimeout())));
                session.close(true);
            });
            try {
                session.auth().addListener(future -> {
                    deadline.cancel(false);
                    if (future.isSuccess()) {
                        if (!result.complete(session)) {
                            session.close(true);
                        } else if (tunnel != null) {
                            ExplicitPortForwardingTracker opened = tunnel;
                            session.addCloseFutureListener(closed -> closeQuietly(opened));
                        }
                    } else {
                        fail(authFailure(request, future.getException()));
                        session.close(true);
                    }
                });
            } catch (IOException | RuntimeException e) {
                deadline.cancel(false);
                fail(SshFailures.classify(e, "log in to " + where));
                session.close(true);
            }
        }

        private SshFailure authFailure(HostKeyVerifier.Request request, Throwable error) {
            if (request.refusal() != null) {
                return request.refusal();
            }
            if (error instanceof SshException ssh
                    && ssh.getDisconnectCode() == SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE) {
                String offered = settings.identityFile() != null ? "key " + settings.identityFile() : "password";
                return new SshFailure(
                        Reason.AUTH_FAILED,
                        "cannot log in to " + where + ": the server accepted none of our credentials (" + offered
                                + ")");
            }
            return SshFailures.classify(error, "log in to " + where);
        }

        void fail(SshFailure failure) {
            if (result.completeExceptionally(failure)) {
                closeQuietly(tunnel);
            }
        }

        private ScheduledFuture<?> schedule(Duration delay, Runnable task) {
            return timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private static void closeQuietly(ExplicitPortForwardingTracker tunnel) {
        if (tunnel == null) {
            return;
        }
        try {
            tunnel.close();
        } catch (IOException e) {
            // The tunnel's listener is local; nothing more to do if it is already gone.
        }
    }
}
