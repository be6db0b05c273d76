package dev.patrol.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses a secret file (token, password, passphrase) that its group or others can access, the way OpenSSH refuses
 * such a private key ("UNPROTECTED PRIVATE KEY FILE") and Patrol refuses such an SSH identity file. A token readable
 * by every local user is no longer a secret, and the fix is one {@code chmod}. Stateless and thread-safe.
 */
final class SecretFiles {
    private SecretFiles() {}

    /** What is wrong with the modes of {@code file}, phrased as a config problem; empty when only its owner has it. */
    static Optional<String> exposure(Path file) {
        try {
            // The file itself, not a link's target mode: a symlink's own mode is always 0777 and says nothing.
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            int mode = 0;
            for (PosixFilePermission permission : permissions) {
                mode |= 1 << (8 - permission.ordinal());
            }
            if ((mode & 0077) == 0) {
                return Optional.empty();
            }
            String who = (mode & 0004) != 0 ? "readable by others" : "accessible by its group or others";
            return Optional.of(String.format(
                    "expected a file only its owner can access, %s is %s (mode %04o); chmod 600 it,"
                            + " as OpenSSH also refuses such a private key",
                    file, who, mode));
        } catch (UnsupportedOperationException e) {
            // A file system without POSIX modes (not on a Linux agent): nothing to check.
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("expected a file whose modes can be read: " + file + ": " + e.getMessage());
        }
    }
}
