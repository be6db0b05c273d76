package dev.patrol.transport.ssh;

import dev.patrol.api.Reason;
import dev.patrol.api.Secret;
import dev.patrol.api.SshFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Reads private keys the way OpenSSH does: a key that other users can read is refused, so a careless {@code chmod}
 * shows up as a failed check instead of a leaked key.
 *
 * <p>Stateless and thread-safe.
 */
public final class IdentityFiles {

    private IdentityFiles() {}

    /**
     * What is wrong with {@code file} as an identity file, or empty when it can be used: missing, not a regular file,
     * unreadable, or accessible by group or others (OpenSSH refuses such keys with "UNPROTECTED PRIVATE KEY FILE").
     * For {@code patrol check-config} and for every connect.
     */
    public static Optional<String> problem(Path file) {
        if (!Files.exists(file)) {
            return Optional.of("identity file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            return Optional.of("identity file " + file + " is not a regular file");
        }
        if (!Files.isReadable(file)) {
            return Optional.of("identity file " + file + " is not readable by the agent's user");
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            int mode = mode(permissions);
            if ((mode & 0077) != 0) {
                String who = (mode & 0004) != 0 ? "readable by others" : "accessible by its group or others";
                return Optional.of(String.format(
                        "identity file %s is %s (mode %04o); chmod 600 it, as OpenSSH also refuses such a key",
                        file, who, mode));
            }
        } catch (UnsupportedOperationException e) {
            // A file system without POSIX modes (not on a Linux agent): nothing to check.
        } catch (IOException e) {
            return Optional.of("identity file " + file + " cannot be inspected: " + e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * Loads the key pairs in {@code file}, after checking it with {@link #problem(Path)}.
     *
     * @throws SshFailure with reason {@link Reason#AUTH_FAILED} and a message naming the file
     */
    public static List<KeyPair> load(Path file, Secret passphrase) {
        Optional<String> problem = problem(file);
        if (problem.isPresent()) {
            throw new SshFailure(Reason.AUTH_FAILED, problem.get());
        }
        FilePasswordProvider passwords =
                passphrase == null ? FilePasswordProvider.EMPTY : FilePasswordProvider.of(passphrase.reveal());
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, new PathResource(file), in, passwords);
            List<KeyPair> keys = new ArrayList<>();
            if (pairs != null) {
                pairs.forEach(keys::add);
            }
            if (keys.isEmpty()) {
                throw new SshFailure(Reason.AUTH_FAILED, "identity file " + file + " holds no private key");
            }
            return keys;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof SshFailure failure) {
                throw failure;
            }
            String hint = passphrase == null ? " (is it encrypted? set identity-passphrase-file)" : "";
            throw new SshFailure(
                    Reason.AUTH_FAILED,
                    "identity file " + file + " cannot be loaded" + hint + ": "
                            + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * The key pairs of each identity file, parsed once and reused while the file is unchanged. A cold start against
     * 2,000 hosts parsed the same file 2,000 times (1.1 % of its CPU samples), and each parse kept its own copy of the
     * keys in its session for the session's life (about 1 KB per SSH target). The file's
     * permissions are still checked on every call, so a key made readable to others stops being used at once.
     *
     * <p>Thread-safe.
     */
    static final class Cache {
        private record Parsed(FileTime modified, long size, Object fileKey, Secret passphrase, List<KeyPair> keys) {
            boolean matches(BasicFileAttributes attributes, Secret passphrase) {
                return modified.equals(attributes.lastModifiedTime())
                        && size == attributes.size()
                        && Objects.equals(fileKey, attributes.fileKey())
                        && this.passphrase == passphrase; // a reload's new passphrase parses the file again
            }
        }

        private final ConcurrentHashMap<Path, Parsed> parsed = new ConcurrentHashMap<>();

        /** {@link IdentityFiles#load(Path, Secret)}, reusing the last parse of an unchanged file. */
        List<KeyPair> load(Path file, Secret passphrase) {
            Optional<String> problem = problem(file);
            if (problem.isPresent()) {
                throw new SshFailure(Reason.AUTH_FAILED, problem.get());
            }
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (IOException e) {
                throw new SshFailure(
                        Reason.AUTH_FAILED, "identity file " + file + " cannot be inspected: " + e.getMessage());
            }
            Parsed last = parsed.get(file);
            if (last != null && last.matches(attributes, passphrase)) {
                return last.keys();
            }
            List<KeyPair> keys = List.copyOf(IdentityFiles.load(file, passphrase));
            parsed.put(
                    file,
                    new Parsed(
                            attributes.lastModifiedTime(), attributes.size(), attributes.fileKey(), passphrase, keys));
            return keys;
        }
    }

    private static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= 1 << (8 - permission.ordinal());
        }
        return mode;
    }
}
