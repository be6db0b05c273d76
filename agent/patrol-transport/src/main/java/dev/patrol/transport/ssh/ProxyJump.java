package dev.patrol.transport.ssh;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bastion to tunnel through, written as OpenSSH's {@code ProxyJump}: {@code [user@]host[:port]}, with an IPv6
 * address in brackets. One hop only.
 *
 * @param user the bastion login, or {@code null} for the target's user
 * @param host the bastion's host name or address
 * @param port the bastion's SSH port, 22 unless written
 */
record ProxyJump(String user, String host, int port) {
    private static final Pattern FORM =
            Pattern.compile("(?:([A-Za-z0-9._-]+)@)?(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(?::([0-9]{1,5}))?");

    /** Parses {@code [user@]host[:port]}; empty when the text has another form or the port is out of range. */
    static Optional<ProxyJump> parse(String text) {
        Matcher matcher = FORM.matcher(text.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String host = matcher.group(2);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = matcher.group(3) == null ? 22 : Integer.parseInt(matcher.group(3));
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        return Optional.of(new ProxyJump(matcher.group(1), host, port));
    }
}
