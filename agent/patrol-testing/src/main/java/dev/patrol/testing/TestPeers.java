package dev.patrol.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the real programs integration tests talk to (nginx, openssl, promtool, sshd). A missing program skips the test
 * on a developer's machine, through a JUnit assumption, and fails it under CI ({@code CI=true}), where every peer must
 * be installed.
 *
 * <pre>{@code
 * Path nginx = TestPeers.require("/usr/sbin/nginx");
 * Path openssl = TestPeers.require("openssl");   // searched on PATH
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class TestPeers {

    private TestPeers() {}

    /** Whether the tests run under CI, where a missing peer is a failure rather than a skip. */
    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * The executable at {@code program}: an absolute path, or a bare name searched on {@code PATH}. Skips the calling
     * test when it is missing, or fails it under CI.
     */
    public static Path require(String program) {
        Optional<Path> found = find(program);
        if (found.isPresent()) {
            return found.get();
        }
        String message = "'" + program + "' is not installed; integration tests need it (install the Debian package)";
        if (isCi()) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /** The executable at {@code program}, or empty; never skips or fails. */
    public static Optional<Path> find(String program) {
        if (program.contains("/")) {
            Path path = Path.of(program);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String searchPath = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        // Debian keeps daemons such as nginx and sshd in sbin, which a non-root PATH may lack.
        for (String dir : new String[] {"/usr/sbin", "/sbin"}) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
