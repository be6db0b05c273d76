package dev.patrol.core.demo;

import dev.patrol.core.job.RemoteShell;
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
 * The demo server's answer to the fetch job's checksum command ({@code openssl dgst -sha256 -r 2>/dev/null <
 * '<path>' || sha256sum -b < '<path>'}), computed in Java over the SFTP root since the demo server runs no shell.
 * Answers like OpenSSL does for standard input: {@code <hex> *stdin}, or exit 2 with the shell's message when the file
 * cannot be opened.
 *
 * <p>Thread-safe: it keeps no state.
 */
final class DemoSha256 {
    static final String PREFIX = "openssl dgst -sha256 -r 2>/dev/null < ";

    private DemoSha256() {}

    static DemoPrograms.Program program(String commandLine, Path root) {
        List<String> words = DemoStat.words(commandLine.substring(PREFIX.length()));
        return (out, err) -> {
            String path =
                    words.isEmpty() ? "" : words.get(0).replace("\\*", "*").replace("\\?", "?");
            if (!commandLine.equals(RemoteShell.checksumCommand(path))) { // the job's own command, nothing else
                err.println("sh: 1: the demo server runs only the fetch job's checksum command");
                return 2;
            }
            Path file = root.resolve(path.replaceFirst("^/+", "")).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                err.println("sh: 1: cannot open " + path + ": No such file");
                return 2;
            }
            try {
                out.println(sha256(file) + " *stdin");
                return 0;
            } catch (NoSuchFileException e) {
                err.println("sh: 1: cannot open " + path + ": No such file");
                return 2;
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
