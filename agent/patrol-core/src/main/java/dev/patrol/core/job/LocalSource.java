package dev.patrol.core.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A push job's local file, read once per run for its size and SHA-256 (streamed, so memory stays flat) however many
 * targets the run has. A failure to read it is kept and given to every target. Thread-safe.
 */
final class LocalSource {
    /** The file as the run saw it. */
    record Summary(Path path, long size, String sha256) {}

    private final Path path;
    private Summary summary; // guarded by this
    private IOException failure; // guarded by this

    LocalSource(Path path) {
        this.path = path;
    }

    synchronized Summary get() throws IOException {
        if (summary == null && failure == null) {
            try {
                summary = read(path);
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new IOException("cannot read the local file '" + path + "': " + failure.getMessage(), failure);
        }
        return summary;
    }

    private static Summary read(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("not a regular file");
        }
        MessageDigest digest = sha256();
        long size = 0;
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
                size += n;
            }
        }
        return new Summary(path, size, HexFormat.of().formatHex(digest.digest()));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
