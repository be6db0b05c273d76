package dev.patrol.transport.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * One OpenSSH known_hosts file: plain and hashed ({@code |1|...}) host patterns, {@code [host]:port} entries and the
 * {@code @revoked} marker. The file is read again whenever its size or modification time changes, so an operator's
 * edit takes effect on the next connect without a reload.
 *
 * <p>Unlike MINA's {@code KnownHostsServerKeyVerifier}, a missing or unreadable file is an error, never a reason to
 * fall through to a more permissive verifier.
 *
 * <p>Thread-safe.
 */
final class KnownHosts {

    /** What the file says about a host's key. */
    enum Verdict {
        /** An entry for the host holds this key. */
        TRUSTED,
        /** No entry names the host. */
        UNKNOWN,
        /** Entries name the host, but none holds this key; or the key is marked {@code @revoked}. */
        CHANGED
    }

    private record Entry(KnownHostEntry entry, PublicKey key) {}

    private record Snapshot(long size, FileTime modified, List<Entry> entries) {}

    private final Path file;
    private Snapshot snapshot;

    KnownHosts(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /**
     * Checks {@code key} for {@code host:port}, the host as configured (not resolved), as OpenSSH matches it.
     *
     * @throws IOException when the file is missing, unreadable or malformed
     */
    Verdict check(String host, int port, PublicKey key) throws IOException {
        boolean named = false;
        for (Entry entry : entries()) {
            if (!entry.entry().isHostMatch(host, port)) {
                continue;
            }
            String marker = entry.entry().getMarker();
            if ("revoked".equals(marker) && KeyUtils.compareKeys(entry.key(), key)) {
                return Verdict.CHANGED;
            }
            if (marker != null) {
                continue; // @cert-authority: Patrol does not do host certificates
            }
            named = true;
            if (KeyUtils.compareKeys(entry.key(), key)) {
                return Verdict.TRUSTED;
            }
        }
        return named ? Verdict.CHANGED : Verdict.UNKNOWN;
    }

    /** Appends an entry for {@code host:port}, creating the file when missing, as {@code accept-new} does. */
    synchronized void append(String host, int port, PublicKey key) throws IOException {
        String name = port == 22 ? host : "[" + host + "]:" + port;
        String line = name + " " + PublicKeyEntry.toString(key) + System.lineSeparator();
        boolean needsNewline = Files.exists(file) && Files.size(file) > 0 && !endsWithNewline();
        Files.writeString(
                file,
                (needsNewline ? System.lineSeparator() : "") + line,
                StandardCharsets.US_ASCII,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        snapshot = null;
    }

    private synchronized List<Entry> entries() throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("known-hosts file " + file + " does not exist");
        }
        if (!Files.isReadable(file)) {
            throw new IOException("known-hosts file " + file + " is not readable by the agent's user");
        }
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        Snapshot current = snapshot;
        if (current != null
                && current.size() == attributes.size()
                && current.modified().equals(attributes.lastModifiedTime())) {
            return current.entries();
        }
        List<Entry> entries = new ArrayList<>();
        for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(file)) {
            PublicKey key = keyOf(entry);
            if (key != null) {
                entries.add(new Entry(entry, key));
            }
        }
        snapshot = new Snapshot(attributes.size(), attributes.lastModifiedTime(), List.copyOf(entries));
        return snapshot.entries();
    }

    private PublicKey keyOf(KnownHostEntry entry) throws IOException {
        AuthorizedKeyEntry keyEntry = entry.getKeyEntry();
        if (keyEntry == null) {
            return null;
        }
        try {
            // IGNORING: a key type this JVM cannot decode is skipped, as ssh skips lines it does not understand.
            return keyEntry.resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.IGNORING);
        } catch (GeneralSecurityException e) {
            throw new IOException("known-hosts file " + file + ": cannot decode the key of '" + entry + "'", e);
        }
    }

    private boolean endsWithNewline() throws IOException {
        byte[] content = Files.readAllBytes(file);
        return content.length == 0 || content[content.length - 1] == '\n';
    }
}
