package dev.patrol.core.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo server's answer to the one shell line the log-tail check sends ({@code command -v stat ...; stat -L -c
 * '%d:%i %s %F|%n' -- <patterns> 2>/dev/null | head -n N}), computed in Java over the SFTP root, since the demo
 * server runs no shell. Patterns are read back from the quoting the agent writes: single-quoted runs, bare {@code *}
 * and {@code ?}; a glob is expanded in its last path segment only.
 *
 * <p>Thread-safe: it keeps no state.
 */
final class DemoStat {
    static final String PREFIX = "command -v stat ";
    private static final Pattern SHAPE = Pattern.compile(".*stat -L -c '[^']*' -- (.*) 2>/dev/null \\| head -n (\\d+)");

    private DemoStat() {}

    static DemoPrograms.Program program(String commandLine, Path root) {
        Matcher shape = SHAPE.matcher(commandLine);
        if (!shape.matches()) {
            return (out, err) -> {
                err.println("sh: 1: the demo server runs only the log-tail stat line");
                return 2;
            };
        }
        List<String> patterns = words(shape.group(1));
        int max = Integer.parseInt(shape.group(2));
        return (out, err) -> {
            out.println("patrol-stat");
            int printed = 0;
            for (String pattern : patterns) {
                for (String path : expand(root, pattern)) {
                    if (printed < max && print(out, root, path)) {
                        printed++;
                    }
                }
            }
            return 0;
        };
    }

    /** Shell words with glob characters kept as {@code \0*} and {@code \0?}, so quoted ones stay literal. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\'') {
                    quoted = false;
                } else {
                    word.append(c == '*' || c == '?' ? "\\" + c : String.valueOf(c));
                }
            } else if (c == '\'') {
                quoted = true;
            } else if (c == '\\' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
            } else if (c == ' ') {
                if (word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }

    private static List<String> expand(Path root, String pattern) throws IOException {
        int slash = pattern.lastIndexOf('/');
        String dir = pattern.substring(0, slash + 1).replace("\\*", "*").replace("\\?", "?");
        String name = pattern.substring(slash + 1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\' && i + 1 < name.length()) {
                regex.append(Pattern.quote(String.valueOf(name.charAt(++i))));
            } else if (c == '*' || c == '?') {
                regex.append(c == '*' ? "[^/]*" : "[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        Pattern matcher = Pattern.compile(regex.toString());
        List<String> found = new ArrayList<>();
        Path directory = root.resolve(dir.substring(1));
        if (!directory.normalize().startsWith(root) || !Files.isDirectory(directory)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                if (matcher.matcher(entry.getFileName().toString()).matches()) {
                    found.add(dir + entry.getFileName());
                }
            }
        }
        found.sort(null);
        return found;
    }

    private static boolean print(PrintStream out, Path root, String path) {
        try {
            Map<String, Object> a = Files.readAttributes(
                    root.resolve(path.substring(1)), "unix:dev,ino,size,isRegularFile,isDirectory");
            String type = Boolean.TRUE.equals(a.get("isRegularFile"))
                    ? "regular file"
                    : Boolean.TRUE.equals(a.get("isDirectory")) ? "directory" : "other";
            out.println(a.get("dev") + ":" + a.get("ino") + " " + a.get("size") + " " + type + "|" + path);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
