package dev.patrol.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import dev.patrol.api.Target;
import dev.patrol.testing.Closing;
import dev.patrol.testing.SshKeys;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent-wide handshake bound against MINA's SSH server, which counts the handshakes in progress as it sees them:
 * from the accepted connection to a successful login (or the connection's end). Each target logs in as its own user,
 * so each is a connection of its own; logins are slowed down so that handshakes overlap unless the pool holds them.
 */
class HandshakeQueueIT {
    private static final Duration LOGIN_DELAY = Duration.ofMillis(200);

    @TempDir
    Path dir;

    SshServer server;
    SshSessionPool pool;
    private com.typesafe.config.Config global;
    private final Map<String, SshSettings> users = new java.util.concurrent.ConcurrentHashMap<>();
    final CollectorRegistry registry = new CollectorRegistry();
    /** Sessions that connected and have not logged in or gone yet; and the most there ever were. */
    final Set<Session> handshaking = new HashSet<>();

    int most;
    /** Logins as "held" wait for this, so a test decides when that handshake ends. */
    final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(dir.resolve("host_key"));
        KeyPair hostKey = hostKeys.loadKeys(null).get(0);
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(hostKeys);
        // Enough I/O threads that the server itself never serialises the delayed logins.
        CoreModuleProperties.NIO_WORKERS.set(server, 32);
        server.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        server.setPublickeyAuthenticator((user, key, session) -> {
            try {
                if (user.equals("held")) {
                    release.await(60, TimeUnit.SECONDS);
                } else {
                    Thread.sleep(LOGIN_DELAY.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        });
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                synchronized (handshaking) {
                    handshaking.add(session);
                    most = Math.max(most, handshaking.size());
                }
            }

            @Override
            public void sessionEvent(Session session, Event event) {
                if (event == Event.Authenticated) {
                    done(session);
                }
            }

            @Override
            public void sessionClosed(Session session) {
                done(session);
            }
        });
        server.start();
        Path knownHosts = SshKeys.writeKnownHosts(
                dir.resolve("known_hosts"),
                List.of("[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(hostKey.getPublic())));
        Path identity = SshKeys.generate(dir.resolve("id_ed25519"), "ed25519", "");
        SshMetrics metrics = new SshMetrics();
        metrics.register(registry);
        global = SshTesting.ssh(Map.of("identity-file", identity, "known-hosts", knownHosts, "auth-timeout", "60s"));
        pool = SshTesting.pool(global, metrics);
    }

    private void done(Session session) {
        synchronized (handshaking) {
            handshaking.remove(session);
        }
    }

    private int handshakingNow() {
        synchronized (handshaking) {
            return handshaking.size();
        }
    }

    private int most() {
        synchronized (handshaking) {
            return most;
        }
    }

    private double handshakes(String state) {
        return registry.getSampleValue("patrol_ssh_handshakes", new String[] {"state"}, new String[] {state});
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        Closing.closeAll(pool, server::stop);
    }

    /** A target logging in as {@code user}: its own ssh block over the global one, resolved as a load would. */
    private Target target(String user) {
        Target target = SshTesting.target(user, "127.0.0.1", server.getPort());
        users.put(
                target.name(),
                SshSettings.from(SshTesting.ssh(Map.of("user", user)).withFallback(global)));
        pool.update(new SshSettingsByTarget(SshSettings.from(global), users));
        return target;
    }

    @Test
    void neverMoreHandshakesInProgressThanTheBound() {
        pool.limitHandshakes(2);
        List<CompletableFuture<Boolean>> logins = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            logins.add(pool.withSession(
                    target("user" + i), session -> CompletableFuture.completedFuture(session.isAuthenticated())));
        }

        CompletableFuture.allOf(logins.toArray(CompletableFuture[]::new))
                .orTimeout(120, TimeUnit.SECONDS)
                .join();

        assertThat(logins).allSatisfy(login -> assertThat(login.join()).isTrue());
        assertThat(pool.connectionCount()).isEqualTo(12);
        assertThat(most()).as("handshakes the server saw at once").isBetween(1, 2);
    }

    @Test
    void withoutABoundTheSameLoginsOverlap() {
        List<CompletableFuture<Boolean>> logins = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            logins.add(pool.withSession(
                    target("user" + i), session -> CompletableFuture.completedFuture(session.isAuthenticated())));
        }

        CompletableFuture.allOf(logins.toArray(CompletableFuture[]::new))
                .orTimeout(120, TimeUnit.SECONDS)
                .join();

        // What the bound prevents: the server had more than two logins in progress at some point.
        assertThat(most()).as("handshakes the server saw at once").isGreaterThan(2);
    }

    @Test
    void aRunQueuedPastItsDeadlineIsTheAgentsFaultNotATimeout() {
        pool.limitHandshakes(1);
        CompletableFuture<Boolean> held = pool.withSession(
                target("held"), session -> CompletableFuture.completedFuture(session.isAuthenticated()));
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.handshakes().inProgress() == 1 && most() == 1);

        CompletableFuture<?> queued = pool.exec(target("queued"), "true", 1024, SshTesting.run(Duration.ofSeconds(1)))
                .toCompletableFuture();
        assertThat(handshakes("running")).isEqualTo(1.0);
        assertThat(handshakes("queued")).isEqualTo(1.0);

        assertThat(queued)
                .failsWithin(Duration.ofSeconds(30))
                .withThrowableOfType(Exception.class)
                .satisfies(error -> {
                    Throwable cause = error.getCause() instanceof CompletionException wrapped
                            ? wrapped.getCause()
                            : error.getCause();
                    assertThat(cause).isInstanceOf(SshFailure.class);
                    assertThat(((SshFailure) cause).reason()).isEqualTo(Reason.AGENT_BUSY);
                    assertThat(cause.getMessage()).contains("an SSH handshake slot");
                });
        // The queued handshake is not dropped with the run: it starts once the slot is free, for the next run.
        release.countDown();
        assertThat(held.orTimeout(30, TimeUnit.SECONDS).join()).isTrue();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> server.getActiveSessions().size() == 2
                        && handshakingNow() == 0
                        && pool.handshakes().inProgress() == 0
                        && pool.handshakes().waiting() == 0);
    }
}
