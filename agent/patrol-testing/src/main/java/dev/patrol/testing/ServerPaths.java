package dev.patrol.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Config text that names real server paths under {@code /etc/patrol/} (keys, known_hosts, token files), moved into a
 * test's folder: the loader requires those files to exist, and a key to be private, as on a server.
 */
public final class ServerPaths {
    private static final Pattern ETC_PATH = Pattern.compile("\"/etc/patrol/([^\"]+)\"");

    private ServerPaths() {}

    /**
     * {@code text} with each quoted {@code "/etc/patrol/...} path pointing under {@code etc} instead, each such file
     * created there when missing: a placeholder with mode 0600 (only existence and mode are checked at load).
     */
    public static String moveUnder(String text, Path etc) {
        Matcher paths = ETC_PATH.matcher(text);
        while (paths.find()) {
            placeholder(etc.resolve(paths.group(1)));
        }
        return text.replace("\"/etc/patrol/", "\"" + etc + "/");
    }

    /** Creates {@code file} (and its folders) as a 0600 placeholder unless it exists; returns it. */
    public static Path placeholder(Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.writeString(file, "placeholder for " + file.getFileName() + "\n");
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
