package dev.patrol.transport.ssh;

import dev.patrol.api.CommandResult;
import dev.patrol.api.FileListing;
import dev.patrol.api.Reason;
import dev.patrol.api.RemoteFile;
import dev.patrol.api.SshFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * The one remote command behind {@link dev.patrol.api.SshSessions#stat}: {@code stat -L} over the expanded patterns,
 * printing device and inode (SFTP attributes carry no inode, so file identity needs this), size and type. Only
 * {@code *} and {@code ?} reach the shell unquoted; every other character of a pattern is inside single quotes, so a
 * path with spaces, quotes, {@code $} or {@code ;} is never interpreted.
 *
 * <p>Stateless and thread-safe.
 */
final class StatCommand {
    /** Below this marker the output lists files; a remote system without {@code stat} never prints it. */
    private static final String MARKER = "patrol-stat";

    private StatCommand() {}

    static String command(List<String> patterns, int maxFiles) {
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("no patterns");
        }
        StringBuilder command = new StringBuilder("command -v stat >/dev/null || exit 127; echo " + MARKER + "; ");
        command.append("stat -L -c '%d:%i %s %F|%n' --");
        for (String pattern : patterns) {
            if (pattern.isEmpty() || pattern.indexOf('\n') >= 0 || pattern.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("a pattern must be a non-empty single line");
            }
            command.append(' ').append(quoteGlob(pattern));
        }
        // Missing files and unmatched patterns are reported by their absence; their messages are noise.
        command.append(" 2>/dev/null | head -n ").append(maxFiles + 1);
        return command.toString();
    }

    /** The pattern for a POSIX shell: {@code *} and {@code ?} bare, every other run single-quoted. */
    static String quoteGlob(String pattern) {
        StringBuilder quoted = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                appendQuoted(quoted, literal);
                quoted.append(c);
            } else {
                literal.append(c);
            }
        }
        appendQuoted(quoted, literal);
        return quoted.toString();
    }

    private static void appendQuoted(StringBuilder out, StringBuilder literal) {
        if (literal.length() > 0) {
            out.append('\'').append(literal.toString().replace("'", "'\\''")).append('\'');
            literal.setLength(0);
        }
    }

    static FileListing parse(CommandResult result, int maxFiles, String where) {
        String out = result.stdout();
        int start = out.indexOf(MARKER + "\n");
        if (result.exitStatus() == 127 || start < 0) {
            throw new SshFailure(Reason.CHECK_FAILED, "cannot look up files on " + where + ": no stat command there");
        }
        List<RemoteFile> files = new ArrayList<>();
        boolean truncated = false;
        for (String line : out.substring(start + MARKER.length() + 1).split("\n")) {
            RemoteFile file = parseLine(line);
            if (file == null) {
                continue;
            }
            if (files.size() == maxFiles) {
                truncated = true;
                break;
            }
            files.add(file);
        }
        return new FileListing(files, truncated || result.truncated());
    }

    private static RemoteFile parseLine(String line) {
        int bar = line.indexOf('|');
        if (bar < 0) {
            return null;
        }
        String[] head = line.substring(0, bar).split(" ", 3);
        if (head.length < 3 || !head[0].contains(":")) {
            return null;
        }
        long size;
        try {
            size = Long.parseLong(head[1]);
        } catch (NumberFormatException e) {
            return null;
        }
        String kind = head[2];
        RemoteFile.Type type = kind.startsWith("regular")
                ? RemoteFile.Type.FILE
                : kind.equals("directory") ? RemoteFile.Type.DIRECTORY : RemoteFile.Type.OTHER;
        return new RemoteFile(line.substring(bar + 1), type, size, head[0]);
    }
}
