package dev.patrol.transport.ssh;

import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import java.util.concurrent.CompletableFuture;
import org.apache.sshd.client.session.ClientSession;

/**
 * The agent-wide bound on SSH handshakes in progress ({@code patrol.limits.max-ssh-handshakes}): resolving, connecting,
 * key exchange and login, the proxy-jump hop included. A handshake costs tens of CPU-milliseconds on each side; two
 * hundred started at once (a cold start, a network blip that dropped every connection) starve each other into
 * timeouts, while a few at a time each finish in milliseconds. Queued handshakes wait as futures, in order, without
 * holding a thread; a handshake keeps going after the runs that asked for it gave up, so the next run finds the
 * connection open.
 *
 * <p>Thread-safe.
 */
final class HandshakeQueue {
    private final SessionOpener opener;
    private final PermitQueue permits;

    /** Without a bound until {@link #resize} sets one: the agent does, from its limits. */
    HandshakeQueue(SessionOpener opener) {
        this.opener = opener;
        this.permits = new PermitQueue(Integer.MAX_VALUE);
    }

    /**
     * A place in the queue: a future that completes when this handshake may start. Taking it starts nothing, so that
     * a caller may take it under its own lock; pass it to {@link #open} once outside.
     */
    CompletableFuture<Void> slot() {
        return permits.acquire();
    }

    /** Opens the session to {@code host:port} once {@code slot} is granted; the slot is given back when it ends. */
    CompletableFuture<ClientSession> open(CompletableFuture<Void> slot, String host, int port, SshSettings settings) {
        return slot.thenCompose(granted -> {
            CompletableFuture<ClientSession> opening;
            try {
                opening = opener.open(host, port, settings);
            } catch (RuntimeException e) {
                opening = CompletableFuture.failedFuture(e);
            }
            return opening.whenComplete((session, error) -> permits.release());
        });
    }

    /** Sets the bound; raising it starts queued handshakes at once. */
    void resize(int max) {
        permits.resize(max);
    }

    /** Fails every queued handshake (the pool is closing). */
    void close() {
        permits.failWaiters(new SshFailure(Reason.CONNECTION_FAILED, "the SSH pool is closed"));
    }

    /** Handshakes in progress; for tests. */
    int inProgress() {
        return permits.inUse();
    }

    /** Handshakes waiting for a slot; for tests. */
    int waiting() {
        return permits.waiting();
    }
}
