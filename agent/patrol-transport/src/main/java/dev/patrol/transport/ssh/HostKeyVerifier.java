package dev.patrol.transport.ssh;

import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import dev.patrol.transport.ssh.SshSettings.HostKeyPolicy;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Patrol's only {@link ServerKeyVerifier}: checks a server's key against the known_hosts file of the target it was
 * meant for, before any credential is sent. The target travels in the connection context as a {@link Request}; a
 * session without one is refused, so nothing can slip through with MINA's accept-all default.
 *
 * <p>A refusal is logged at ERROR once per change of state for that host, with the key's SHA256 fingerprint, and
 * recorded in the request so the pool can report {@link Reason#HOST_KEY_UNKNOWN} or {@link Reason#HOST_KEY_MISMATCH}
 * instead of MINA's generic key-exchange error.
 *
 * <p>Thread-safe.
 */
final class HostKeyVerifier implements ServerKeyVerifier {
    private static final Logger logger = LoggerFactory.getLogger(HostKeyVerifier.class);

    static final AttributeKey<Request> REQUEST = new AttributeKey<>();

    /** One connection attempt's host, as configured, and what became of its key. */
    static final class Request {
        private final String host;
        private final int port;
        private final Path knownHostsFile;
        private final HostKeyPolicy policy;
        private volatile SshFailure refusal;

        Request(String host, int port, Path knownHostsFile, HostKeyPolicy policy) {
            this.host = host;
            this.port = port;
            this.knownHostsFile = knownHostsFile;
            this.policy = policy;
        }

        AttributeRepository asContext() {
            return AttributeRepository.ofKeyValuePair(REQUEST, this);
        }

        /** Why the server's key was refused, or {@code null} when it was not (or not yet) checked. */
        SshFailure refusal() {
            return refusal;
        }
    }

    private final Map<Path, KnownHosts> files = new ConcurrentHashMap<>();
    private final Map<String, String> lastState = new ConcurrentHashMap<>();

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        AttributeRepository context = session.getConnectionContext();
        Request request = context == null ? null : context.getAttribute(REQUEST);
        if (request == null) {
            logger.error("Refused the host key of {}: the session has no Patrol target", remoteAddress);
            return false;
        }
        String where = request.port == 22 ? request.host : "[" + request.host + "]:" + request.port;
        String fingerprint = KeyUtils.getFingerPrint(serverKey);
        KnownHosts knownHosts = files.computeIfAbsent(request.knownHostsFile, KnownHosts::new);
        try {
            KnownHosts.Verdict verdict = knownHosts.check(request.host, request.port, serverKey);
            if (verdict == KnownHosts.Verdict.UNKNOWN && request.policy == HostKeyPolicy.ACCEPT_NEW) {
                knownHosts.append(request.host, request.port, serverKey);
                logger.info(
                        "Added the host key of {} to {} (host-key-policy = accept-new): {} {}",
                        where,
                        knownHosts.file(),
                        KeyUtils.getKeyType(serverKey),
                        fingerprint);
                verdict = KnownHosts.Verdict.TRUSTED;
            }
            return switch (verdict) {
                case TRUSTED -> accept(where, fingerprint);
                case UNKNOWN -> refuse(
                        request,
                        where,
                        Reason.HOST_KEY_UNKNOWN,
                        "host key of " + where + " (" + KeyUtils.getKeyType(serverKey) + " " + fingerprint
                                + ") is not in " + knownHosts.file() + "; verify it and add it, e.g. with ssh-keyscan");
                case CHANGED -> refuse(
                        request,
                        where,
                        Reason.HOST_KEY_MISMATCH,
                        "host key of " + where + " has CHANGED: the server offered "
                                + KeyUtils.getKeyType(serverKey) + " " + fingerprint + ", which " + knownHosts.file()
                                + " does not hold for it; someone may be intercepting the connection, or the host was"
                                + " reinstalled; refused");
            };
        } catch (IOException | RuntimeException e) {
            return refuse(
                    request,
                    where,
                    Reason.HOST_KEY_UNKNOWN,
                    "cannot check the host key of " + where + " (" + fingerprint + "): " + e.getMessage());
        }
    }

    private boolean accept(String where, String fingerprint) {
        String previous = lastState.put(where, "trusted " + fingerprint);
        if (previous != null && !previous.startsWith("trusted")) {
            logger.info("Host key of {} is trusted again: {}", where, fingerprint);
        }
        return true;
    }

    private boolean refuse(Request request, String where, Reason reason, String message) {
        request.refusal = new SshFailure(reason, message);
        String state = reason.label() + " " + message;
        if (!state.equals(lastState.put(where, state))) {
            logger.error("Refused to connect: {}", message);
        }
        return false;
    }
}
