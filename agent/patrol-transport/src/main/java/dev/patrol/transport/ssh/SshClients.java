package dev.patrol.transport.ssh;

import java.time.Duration;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.keyboard.UserInteraction;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * Builds the process's one MINA {@link SshClient}, with every default that is wrong for an unattended agent replaced:
 *
 * <ul>
 *   <li>host keys go through Patrol's known-hosts verifier, never MINA's accept-all;
 *   <li>no keys from {@code ~/.ssh} are offered to every host, and {@code ~/.ssh/config} is not read: each target
 *       logs in with exactly the credentials its settings name;
 *   <li>nothing prompts: no passphrase callback, no keyboard-interactive questions;
 *   <li>connect and login are bounded (MINA's defaults: 1 min connect, 2 min login), the read side has a timeout,
 *       and heartbeats that want a reply find a dead peer behind a silent network;
 *   <li>a connection's socket read buffer is small while it idles and grows while a stream arrives
 *       ({@link AdaptiveReadIo}), instead of MINA's 32 KiB held for the connection's life;
 *   <li>AES-GCM and AES-CTR are proposed before chacha20-poly1305 (MINA's first choice): the JDK runs AES on the
 *       CPU's AES instructions, while MINA's ChaCha20 and Poly1305 are plain Java, several times slower per byte,
 *       which bounds a large SFTP download. The set of ciphers accepted is MINA's default, only reordered.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class SshClients {
    /** How many heartbeats may go unanswered before the connection is dropped. */
    static final int HEARTBEATS_UNANSWERED = 3;
    /**
     * How much later than {@code auth-timeout} MINA's own login timeout fires. {@link SessionOpener}'s timer ends a
     * login at {@code auth-timeout} as {@code TIMEOUT}; MINA's (on time since 2.16) would end it first as a bare
     * disconnect, so it is only a backstop.
     */
    static final Duration AUTH_TIMEOUT_BACKSTOP = Duration.ofSeconds(5);
    /**
     * How much later than the longest {@code connect-timeout} MINA's connector gives up. {@link SessionOpener}'s timer
     * ends each connect at its target's own timeout as {@code TIMEOUT}; a connect MINA cuts is reported as a refused
     * connection, which would blame the target wrongly, so MINA's must never come first.
     */
    static final Duration CONNECT_TIMEOUT_BACKSTOP = Duration.ofSeconds(5);
    /**
     * The window each channel offers the server: how many bytes it may send before the client acknowledges them.
     * MINA's pipelined SFTP reads keep only a window's worth of requests outstanding, so MINA's default of 2 MiB held
     * one SFTP stream to about 66 MiB/s on loopback ({@code ReaderComparison}, docs/BENCHMARKS.md). The server fills
     * whatever window it is given while the client is slower than it, and OpenSSH's sshd pays for that buffering:
     * with 8 MiB its CPU for a 1 GiB fetch doubled against 4 MiB (11.2 against 6.2 CPU-s, the remote sha256sum
     * included), and the transfer was no faster (bench/fetch.sh). At 4 MiB the stream is as fast and the target pays
     * half. An exec channel's output is consumed as it arrives (capped, not buffered), so only SFTP fills the window.
     */
    static final long WINDOW_BYTES = 4L * 1024 * 1024;
    /**
     * The buffer a connection reads a stream with. MINA's NIO2 backend allocates one per session and holds it for the
     * session's life: 32 KiB by default, 64 MB at 2,000 SSH targets (JFR old-object samples of bench/scale.sh).
     * 16 KiB read an SFTP stream as fast and for the same CPU; 8 KiB cost a fifth of the throughput
     * ({@code ReaderComparison}, docs/BENCHMARKS.md). A connection holds it only while a stream arrives: see
     * {@link #IDLE_READ_BUFFER_BYTES}.
     */
    static final int READ_BUFFER_BYTES = 16 * 1024;
    /**
     * The buffer a connection starts with and returns to ({@link ReadBufferSizing}): a check's packets, and the
     * server's version and key-exchange offer (about 1.1 KB from OpenSSH 9), fit in it.
     */
    static final int IDLE_READ_BUFFER_BYTES = 2 * 1024;
    /** The client's cipher proposal, in order of preference (OpenSSH servers accept each of them by default). */
    static final List<BuiltinCiphers> CIPHERS = List.of(
            BuiltinCiphers.aes128gcm,
            BuiltinCiphers.aes256gcm,
            BuiltinCiphers.aes128ctr,
            BuiltinCiphers.aes192ctr,
            BuiltinCiphers.aes256ctr,
            BuiltinCiphers.cc20p1305_openssh,
            BuiltinCiphers.aes128cbc,
            BuiltinCiphers.aes192cbc,
            BuiltinCiphers.aes256cbc);

    private SshClients() {}

    static SshClient create(SshSettingsByTarget settings, ServerKeyVerifier verifier) {
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(verifier);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setFilePasswordProvider(FilePasswordProvider.EMPTY);
        client.setUserInteraction(UserInteraction.NONE);
        client.setCipherFactories(ciphers());
        CoreModuleProperties.WINDOW_SIZE.set(client, WINDOW_BYTES);
        CoreModuleProperties.NIO2_READ_BUFFER_SIZE.set(client, READ_BUFFER_BYTES);
        client.setIoServiceFactoryFactory(new AdaptiveReadIo(IDLE_READ_BUFFER_BYTES, READ_BUFFER_BYTES));
        applyTimeouts(client, settings);
        client.start();
        return client;
    }

    /** {@link #CIPHERS} that this JDK supports, in their order. */
    static List<NamedFactory<Cipher>> ciphers() {
        return CIPHERS.stream()
                .filter(BuiltinCiphers::isSupported)
                .<NamedFactory<Cipher>>map(cipher -> cipher)
                .toList();
    }

    /**
     * Sets the client-wide timeouts from the global settings; sessions opened afterwards use them. The TCP connect
     * timeout is MINA's for every connection at once, so it is a backstop behind the longest any target has: each
     * target's own {@code connect-timeout} is enforced per attempt ({@link SessionOpener}), and a shorter client-wide
     * one would cut a target that asked for longer.
     */
    static void applyTimeouts(SshClient client, SshSettingsByTarget all) {
        SshSettings settings = all.defaults();
        CoreModuleProperties.IO_CONNECT_TIMEOUT.set(
                client, all.longestConnectTimeout().plus(CONNECT_TIMEOUT_BACKSTOP));
        CoreModuleProperties.AUTH_TIMEOUT.set(client, settings.authTimeout().plus(AUTH_TIMEOUT_BACKSTOP));
        // OpenSSH answers any global request that wants a reply, so a live peer is heard from at least once per
        // heartbeat; silence for a heartbeat plus idle-timeout means the connection is dead.
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, settings.heartbeatInterval());
        CoreModuleProperties.HEARTBEAT_REQUEST.set(client, "keepalive@openssh.com");
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, HEARTBEATS_UNANSWERED);
        CoreModuleProperties.NIO2_READ_TIMEOUT.set(
                client, settings.heartbeatInterval().plus(settings.idleTimeout()));
        // The pool closes unused connections itself; MINA's idle timeout is only a backstop behind it.
        CoreModuleProperties.IDLE_TIMEOUT.set(
                client,
                settings.sessionIdleClose().plus(settings.heartbeatInterval().multipliedBy(2)));
        CoreModuleProperties.CHANNEL_CLOSE_TIMEOUT.set(client, Duration.ofSeconds(5));
    }
}
