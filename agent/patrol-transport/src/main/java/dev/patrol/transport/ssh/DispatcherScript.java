package dev.patrol.transport.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The command dispatcher's shell script (resource {@code dispatcher.sh}, which documents the protocol) and the
 * requests the agent sends it. The script is joined into one line and started as {@code /bin/sh -c '<script>'}, so
 * that whatever the user's login shell is (bash, fish, csh) it only has to pass one single-quoted word to /bin/sh.
 *
 * <p>Stateless and thread-safe.
 */
final class DispatcherScript {
    /** The first line a dispatcher writes once it is ready; anything else means it cannot be used. */
    static final String BANNER = "PATROL-DISPATCH 1";

    /** The script as one line, checked to survive single quotes in any shell. */
    static final String SCRIPT = load();

    /** What the exec channel runs. */
    static final String COMMAND = "/bin/sh -c '" + SCRIPT + "'";

    private DispatcherScript() {}

    private static String load() {
        try (InputStream in = DispatcherScript.class.getResourceAsStream("dispatcher.sh")) {
            if (in == null) {
                throw new IllegalStateException("dispatcher.sh is missing from the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            String line = text.lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .collect(Collectors.joining(" "));
            if (!singleQuotable(line)) {
                throw new IllegalStateException("dispatcher.sh holds a character a login shell would interpret");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether {@code text} passes unchanged inside single quotes in sh, bash, zsh, fish and csh: no single quote, no
     * {@code !} but in {@code $!} (history expansion, which non-interactive shells do not do anyway), no control
     * character (csh refuses newlines), no backslash before a backslash or a quote (fish's only escapes inside single
     * quotes).
     */
    static boolean singleQuotable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c < ' ' || c > '~' || (c == '!' && (i == 0 || text.charAt(i - 1) != '$'))) {
                return false;
            }
            if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '\\' || text.charAt(i + 1) == '\'')) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code command} can go through the dispatcher: a NUL byte cannot be passed to {@code sh -c}. */
    static boolean canSend(String command) {
        return command.indexOf('\0') < 0;
    }

    /** {@code R <id> <lines> <cap>} and the command as newline-terminated lines. */
    static byte[] request(long id, String command, int cap) {
        String[] lines = command.split("\n", -1);
        StringBuilder request = new StringBuilder(command.length() + 32)
                .append("R ")
                .append(id)
                .append(' ')
                .append(lines.length)
                .append(' ')
                .append(cap)
                .append('\n');
        for (String line : lines) {
            request.append(line).append('\n');
        }
        return request.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code K <id>}: kill the command's process group. */
    static byte[] kill(long id) {
        return ("K " + id + "\n").getBytes(StandardCharsets.US_ASCII);
    }
}
