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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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

    /**
     * The file's entries, with those that name hosts literally indexed by host name (lower case): a check then looks
     * at the entries for its host and at the few that need matching (hashed names, wildcards, negations), instead of
     * matching every line. With one line per host, the scan made a cold start against 2,000 hosts quadratic.
     */
    private record Snapshot(long size, FileTime modified, Map<String, List<Entry>> byHost, List<Entry> toMatch) {
        List<Entry> candidates(String host) {
            List<Entry> named = byHost.getOrDefault(host.toLowerCase(Locale.ROOT), List.of());
            if (toMatch.isEmpty()) {
                return named;
            }
            List<Entry> all = new ArrayList<>(named.size() + toMatch.size());
            all.addAll(named);
            all.addAll(toMatch);
            return all;
        }
    }

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
        boolean trusted = false;
        for (Entry entry : snapshot().candidates(host)) {
            if (!entry.entry().isHostMatch(host, port)) {
                continue;
            }
            String marker = entry.entry().getMarker();
            if ("revoked".equals(marker) && KeyUtils.compareKeys(entry.key(), key)) {
                return Verdict.CHANGED; // wherever it stands in the file, as OpenSSH checks revocations last
            }
            if (marker != null) {
                continue; // @cert-authority: Patrol does not do host certificates
            }
            named = true;
            trusted |= KeyUtils.compareKeys(entry.key(), key);
        }
        return trusted ? Verdict.TRUSTED : named ? Verdict.CHANGED : Verdict.UNKNOWN;
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

    private synchronized Snapshot snapshot() throws IOException {
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
            return current;
        }
        Map<String, List<Entry>> byHost = new HashMap<>();
        List<Entry> toMatch = new ArrayList<>();
        for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(file)) {
            PublicKey key = keyOf(entry);
            if (key == null) {
                continue;
            }
            Entry parsed = new Entry(entry, key);
            List<String> hosts = literalHosts(entry);
            if (hosts.isEmpty()) {
                toMatch.add(parsed);
            }
            for (String name : hosts) {
                byHost.computeIfAbsent(name, unused -> new ArrayList<>(1)).add(parsed);
            }
        }
        snapshot = new Snapshot(attributes.size(), attributes.lastModifiedTime(), byHost, List.copyOf(toMatch));
        return snapshot;
    }

    /**
     * The host names an entry names literally, lower case and without port ({@code web-1}, {@code [10.0.0.2]:2222}
     * gives {@code 10.0.0.2}); empty when any of its names needs matching (hashed, a wildcard, a negation), so that
     * the entry is matched on every check instead.
     */
    static List<String> literalHosts(KnownHostEntry entry) {
        String[] fields = entry.getConfigLine().trim().split("\\s+");
        int hostsField = fields[0].startsWith("@") ? 1 : 0;
        if (fields.length <= hostsField) {
            return List.of();
        }
        List<String> hosts = new ArrayList<>();
        for (String name : fields[hostsField].split(",")) {
            if (name.isEmpty()
                    || name.startsWith("|")
                    || name.chars().anyMatch(c -> c == '*' || c == '?' || c == '!')) {
                return List.of();
            }
            if (name.startsWith("[")) {
                int close = name.indexOf("]:");
                if (close < 0) {
                    return List.of();
                }
                name = name.substring(1, close);
            }
            hosts.add(name.toLowerCase(Locale.ROOT));
        }
        return hosts;
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
