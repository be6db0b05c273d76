package dev.patrol.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Accounts of this machine that tests can log in as over SSH, read from {@code /etc/passwd}. Stateless. */
public final class LoginUsers {
    private LoginUsers() {}

    /**
     * A user other than root with a real login shell, which an {@link OpenSshServer} run as root can log in as with
     * the same keys. OpenSSH signals a remote command ({@code signal} channel request) only for such logins: for root
     * it answers "session signalling requires privilege separation".
     */
    public static Optional<String> unprivileged() {
        try {
            List<String> shells = Files.readAllLines(Path.of("/etc/shells"));
            return Files.readAllLines(Path.of("/etc/passwd")).stream()
                    .map(line -> line.split(":"))
                    .filter(fields -> fields.length >= 7 && !fields[2].equals("0"))
                    .filter(fields -> shells.contains(fields[6]) && !fields[6].endsWith("nologin"))
                    .map(fields -> fields[0])
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
