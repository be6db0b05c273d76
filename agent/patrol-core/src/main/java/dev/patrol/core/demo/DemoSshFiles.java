package dev.patrol.core.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/**
 * The demo SSH server's files, in one folder only this user may enter: its host key, the client's private key (OpenSSH
 * format, mode 0600, as the agent and OpenSSH insist) and the known_hosts file the agent checks the host key against.
 *
 * <p>Not thread-safe; used while the server starts.
 */
final class DemoSshFiles {
    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path dir;

    private DemoSshFiles(Path dir) {
        this.dir = dir;
    }

    static DemoSshFiles create(Path dir) throws IOException {
        if (POSIX) {
            Files.createDirectories(dir, only("rwx------"));
        } else {
            Files.createDirectories(dir);
        }
        return new DemoSshFiles(dir);
    }

    Path hostKey() {
        return dir.resolve("ssh_host_ecdsa_key");
    }

    Path identity() {
        return dir.resolve("id_ecdsa");
    }

    Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    /** Writes {@code pair} as an unencrypted OpenSSH private key, created with mode 0600 (never readable by others). */
    void writeIdentity(KeyPair pair) throws IOException, GeneralSecurityException {
        Path file = identity();
        Files.deleteIfExists(file);
        if (POSIX) {
            Files.createFile(file, only("rw-------"));
        } else {
            Files.createFile(file);
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "patrol-demo", null, out);
        }
    }

    /** One {@code [host]:port <type> <base64>} line per host, as {@code ssh-keyscan -p PORT HOST} prints. */
    void writeKnownHosts(List<String> hosts, int port, PublicKey key) throws IOException {
        StringBuilder text =
                new StringBuilder("# Written by `patrol demo`: the host key of its embedded SSH server.\n");
        String entry = PublicKeyEntry.toString(key);
        for (String host : hosts) {
            text.append('[')
                    .append(host)
                    .append("]:")
                    .append(port)
                    .append(' ')
                    .append(entry)
                    .append('\n');
        }
        Files.writeString(knownHosts(), text, StandardCharsets.US_ASCII);
    }

    private static FileAttribute<Set<PosixFilePermission>> only(String mode) {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode));
    }
}
