package dev.patrol.core.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The demo server's {@code sha256sum -b -- '<path>'}, the checksum a fetch job compares its download with, computed
 * in Java over the SFTP root since the demo server runs no shell. Answers like GNU coreutils: {@code <hex> *<path>},
 * or exit 1 with a message on stderr.
 *
 * <p>Thread-safe: it keeps no state.
 */
final class DemoSha256 {
    static final String PREFIX = "sha256sum -b -- ";

    private DemoSha256() {}

    static DemoPrograms.Program program(String commandLine, Path root) {
        List<String> words = DemoStat.words(commandLine.substring(PREFIX.length()));
        return (out, err) -> {
            if (words.size() != 1) {
                err.println("sha256sum: the demo server checks one file at a time");
                return 1;
            }
            String path = words.get(0).replace("\\*", "*").replace("\\?", "?");
            Path file = root.resolve(path.replaceFirst("^/+", "")).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                err.println("sha256sum: " + path + ": No such file or directory");
                return 1;
            }
            try {
                out.println(sha256(file) + " *" + path);
                return 0;
            } catch (NoSuchFileException e) {
                err.println("sha256sum: " + path + ": No such file or directory");
                return 1;
            }
        };
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
