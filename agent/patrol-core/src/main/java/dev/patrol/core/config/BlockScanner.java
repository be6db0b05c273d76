package dev.patrol.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds where each check and target block is written, which Typesafe Config cannot tell once it merged two blocks of
 * the same name. A small HOCON lexer that follows objects, key paths and includes but skips values; it runs only on
 * files Typesafe Config has already parsed, so it can be lenient about what it does not need.
 *
 * <p>A definition is a block written whole: {@code web-1 { ... }}, {@code web-1 = { ... }} or
 * {@code web-1 = ${template} { ... }}. Setting one key by path ({@code patrol.checks.homepage.interval = 1m}) is not
 * a definition, so a later file may still override a single key. Not thread-safe; one per file.
 *
 * <p>Why a lexer rather than comparing the keys of each file as Typesafe Config parses it: the difference between a
 * second definition and an override is only in how the text is written, and the parse keeps none of it. Its parser
 * merges {@code a { k = 1 }} followed by {@code a { k = 2 }} into the same object, with the same origins (the object's
 * and each key's), as {@code a { k = 1 }} followed by {@code a.k = 2}: an object made from a path takes the origin of
 * its value, and a merged object the origin of the later part. So neither the keys of a file nor their origins can
 * tell the mistake from the documented way to override a key, within one file or across files; and Typesafe's syntax
 * tree ({@code ConfigDocument}) is not public beyond rendering and editing. {@code BlockScannerTest} pins this.
 */
final class BlockScanner {
    /** Deep enough for any sane layout, and a stop for an include cycle. */
    private static final int MAX_INCLUDE_DEPTH = 20;

    /** {@code patrol.<section>.<name>} written as a block at {@code file:line}. */
    record Definition(String section, String name, String file, int line) {}

    private final Path file;
    private final String text;
    private final int depth;
    private final List<Definition> found;
    private int pos;
    private int line = 1;

    private BlockScanner(Path file, String text, int depth, List<Definition> found) {
        this.file = file;
        this.text = text;
        this.depth = depth;
        this.found = found;
    }

    /** The check and target blocks of {@code file} and of the files it includes, in reading order. */
    static List<Definition> scan(Path file) {
        List<Definition> found = new ArrayList<>();
        scan(file, List.of(), 0, found);
        return found;
    }

    private static void scan(Path file, List<String> prefix, int depth, List<Definition> found) {
        if (depth > MAX_INCLUDE_DEPTH || !Files.isRegularFile(file)) {
            return;
        }
        try {
            new BlockScanner(file, Files.readString(file, StandardCharsets.UTF_8), depth, found).object(prefix);
        } catch (IOException e) {
            // Typesafe Config read this file a moment ago; if it is gone now, the next load will say so.
        }
    }

    private void object(List<String> prefix) {
        while (true) {
            skipBlank(true);
            if (pos >= text.length()) {
                return;
            }
            char c = text.charAt(pos);
            if (c == '}' || c == ']') {
                pos++;
                return;
            }
            if (c == '{') {
                pos++;
                object(prefix);
                continue;
            }
            if (isInclude()) {
                include(prefix);
                continue;
            }
            int keyLine = line;
            List<String> path = new ArrayList<>(prefix);
            path.addAll(key());
            skipBlank(false);
            int separator =
                    text.startsWith("+=", pos) ? 2 : pos < text.length() && "=:".indexOf(text.charAt(pos)) >= 0 ? 1 : 0;
            pos += separator;
            skipBlank(separator > 0);
            if (pos >= text.length()) {
                return;
            }
            c = text.charAt(pos);
            if (c == '{') {
                record(path, keyLine);
                pos++;
                object(path);
            } else if (c == '$') {
                record(path, keyLine);
            }
            skipValue();
        }
    }

    private void record(List<String> path, int keyLine) {
        if (path.size() == 3
                && path.get(0).equals("patrol")
                && (path.get(1).equals("checks") || path.get(1).equals("targets"))) {
            found.add(new Definition(path.get(1), path.get(2), file.toString(), keyLine));
        }
    }

    /** A key path up to its separator: unquoted parts split at dots, quoted parts kept whole. */
    private List<String> key() {
        List<String> elements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                current.append(quoted());
            } else if (c == '.') {
                elements.add(current.toString().strip());
                current.setLength(0);
                pos++;
            } else if ("{}[]=:,\n#".indexOf(c) >= 0 || text.startsWith("+=", pos) || text.startsWith("//", pos)) {
                break;
            } else {
                current.append(c);
                pos++;
            }
        }
        elements.add(current.toString().strip());
        return elements;
    }

    /** Skips a value: up to a newline, comma or closing brace outside any nesting, or a nested block. */
    private void skipValue() {
        int nesting = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                quoted();
            } else if (text.startsWith("${", pos)) {
                pos = Math.max(text.indexOf('}', pos), pos + 1) + 1;
            } else if (c == '#' || text.startsWith("//", pos)) {
                skipToLineEnd();
            } else if (c == '{' || c == '[' || c == '(') {
                nesting++;
                pos++;
            } else if (c == '}' || c == ']' || c == ')') {
                if (nesting == 0) {
                    return;
                }
                nesting--;
                pos++;
            } else if ((c == '\n' || c == ',') && nesting == 0) {
                return;
            } else {
                if (c == '\n') {
                    line++;
                }
                pos++;
            }
        }
    }

    private boolean isInclude() {
        return text.startsWith("include", pos)
                && pos + 7 < text.length()
                && (text.charAt(pos + 7) == ' ' || text.charAt(pos + 7) == '\t');
    }

    /** {@code include "x"}, {@code include required(file("x"))}, ...: scans the files it names, under the prefix. */
    private void include(List<String> prefix) {
        pos += 7;
        skipBlank(false);
        boolean asFile = false;
        boolean skip = false;
        while (pos < text.length() && text.charAt(pos) != '"') {
            if (text.startsWith("file(", pos)) {
                asFile = true;
            } else if (text.startsWith("url(", pos) || text.startsWith("classpath(", pos)) {
                skip = true;
            }
            if (text.charAt(pos) == '\n') {
                return;
            }
            pos++;
        }
        String name = pos < text.length() ? quoted() : "";
        while (pos < text.length()
                && (text.charAt(pos) == ')' || text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
        if (skip || name.isEmpty()) {
            return;
        }
        Path base = asFile ? Path.of("") : parentOf(file);
        for (Path included : GlobIncluder.resolve(base, name)) {
            scan(included, prefix, depth + 1, found);
        }
    }

    /** A quoted or triple-quoted string, decoded just enough for keys and file names. */
    private String quoted() {
        if (text.startsWith("\"\"\"", pos)) {
            int end = text.indexOf("\"\"\"", pos + 3);
            end = end < 0 ? text.length() : end;
            String value = text.substring(pos + 3, end);
            line += (int) value.chars().filter(c -> c == '\n').count();
            pos = Math.min(end + 3, text.length());
            while (pos < text.length() && text.charAt(pos) == '"') {
                pos++;
            }
            return value;
        }
        StringBuilder value = new StringBuilder();
        pos++;
        while (pos < text.length() && text.charAt(pos) != '"' && text.charAt(pos) != '\n') {
            if (text.charAt(pos) == '\\' && pos + 1 < text.length()) {
                pos++;
            }
            value.append(text.charAt(pos++));
        }
        pos++;
        return value.toString();
    }

    private void skipBlank(boolean newlinesAndCommas) {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '#' || text.startsWith("//", pos)) {
                skipToLineEnd();
            } else if (c == '\n' && newlinesAndCommas) {
                line++;
                pos++;
            } else if (Character.isWhitespace(c) && c != '\n' || c == '\uFEFF' || c == ',' && newlinesAndCommas) {
                pos++;
            } else {
                return;
            }
        }
    }

    private void skipToLineEnd() {
        while (pos < text.length() && text.charAt(pos) != '\n') {
            pos++;
        }
    }

    private static Path parentOf(Path file) {
        Path parent = file.getParent();
        return parent == null ? Path.of("") : parent;
    }
}
