package dev.patrol.plugin.sshcommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway local accounts for tests that need a login other than the one running sshd: created with
 * {@code useradd} (root only), each with a random name, no home directory and a password field of {@code *} (not
 * locked, so sshd without PAM accepts a key login), and removed with {@code userdel} by {@link #close()}.
 *
 * <p>Not thread-safe.
 */
final class LocalUsers implements AutoCloseable {
    private final List<String> created = new ArrayList<>();

    static boolean canCreate() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** A new account whose login shell is {@code shell}; its name starts with {@code patrol-t}. */
    String create(String shell) {
        String name = String.format(
                Locale.ROOT, "patrol-t%06x", ThreadLocalRandom.current().nextInt(1 << 24));
        run("useradd", "--no-create-home", "--home-dir", "/", "--shell", shell, "--password", "*", name);
        created.add(name);
        return name;
    }

    @Override
    public void close() {
        for (String name : created) {
            try {
                run("userdel", "--force", name);
            } catch (IllegalStateException e) {
                // An account left behind has no password and no key of its own: nothing can log in as it.
            }
        }
        created.clear();
    }

    private static void run(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command[0] + " did not finish within 30 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException(command[0] + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
