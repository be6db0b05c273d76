package dev.patrol.plugin.logtail;

import java.util.regex.Pattern;

/**
 * A run of ASCII characters that every match of a pattern contains, read from the pattern's source, so that a line
 * without it is passed over without running the regex. Profiling a 1 GB catch-up put four fifths of the agent's CPU
 * in {@code java.util.regex} trying {@code (?i)\berror\b} at every position of every line; a plain byte search for
 * {@code error} is an order of magnitude cheaper, and most lines of a log do not contain what a pattern counts.
 *
 * <p>The reading is deliberately narrow: a literal is returned only when it is certain. Alternation at the top level,
 * inline flags anywhere but at the very start, comments mode, {@code \Q...\E} and escapes whose length this reader
 * does not know (hexadecimal and Unicode escapes, {@code \p}, back references, ...) give no literal, and the regex then runs
 * on every line as before. Groups, character classes, dots, anchors and escaped classes end a run of literal
 * characters; a quantifier removes the character it applies to from the run.
 */
final class RequiredLiteral {
    /** Runs shorter than this are too common to be worth a search before the regex. */
    private static final int MIN_LENGTH = 2;

    private static final String CLASS_ESCAPES = "bBdDwWsShHvVRXAzZGtnrfae";
    private static final String START_FLAGS = "imsuUd";

    private final byte[] literal;
    private final boolean caseless;

    private RequiredLiteral(String literal, boolean caseless) {
        this.caseless = caseless;
        this.literal = new byte[literal.length()];
        for (int i = 0; i < literal.length(); i++) {
            this.literal[i] = fold((byte) literal.charAt(i), caseless);
        }
    }

    /** The literal every match of {@code pattern} contains, or null when none is certain. */
    static RequiredLiteral of(Pattern pattern) {
        String source = pattern.pattern();
        if (pattern.flags() != Pattern.compile(source).flags()) {
            return null; // flags given to compile, beside the source's own, are not read here
        }
        int i = 0;
        boolean caseless = false;
        int close = flagGroupEnd(source, 0);
        if (close > 0) { // leading flags: (?i)
            String flags = source.substring(2, close);
            for (char flag : flags.toCharArray()) {
                if (START_FLAGS.indexOf(flag) < 0) {
                    return null; // comments mode, "-", or a flag unknown here
                }
            }
            caseless = flags.indexOf('i') >= 0;
            i = close + 1;
        }
        String best = new Reader(source, i).longestRun();
        return best == null || best.length() < MIN_LENGTH ? null : new RequiredLiteral(best, caseless);
    }

    /** Whether {@code data[from, from + length)}, ASCII bytes, contains the literal. */
    boolean foundIn(byte[] data, int from, int length) {
        byte first = literal[0];
        int n = literal.length;
        for (int i = from, last = from + length - n; i <= last; i++) {
            if (fold(data[i], caseless) == first && restMatches(data, i)) {
                return true;
            }
        }
        return false;
    }

    String literal() {
        return new String(literal, java.nio.charset.StandardCharsets.US_ASCII);
    }

    boolean caseless() {
        return caseless;
    }

    private boolean restMatches(byte[] data, int at) {
        for (int k = 1; k < literal.length; k++) {
            if (fold(data[at + k], caseless) != literal[k]) {
                return false;
            }
        }
        return true;
    }

    /** Where the bare flag group ({@code (?i)}, {@code (?-i)}) starting at {@code at} ends (its ')'), or -1. */
    private static int flagGroupEnd(String source, int at) {
        if (!source.startsWith("(?", at)) {
            return -1;
        }
        int k = at + 2;
        while (k < source.length() && (Character.isLetter(source.charAt(k)) || source.charAt(k) == '-')) {
            k++;
        }
        return k > at + 2 && k < source.length() && source.charAt(k) == ')' ? k : -1;
    }

    /** Without UNICODE_CASE, Java's case-insensitive matching folds ASCII letters only. */
    private static byte fold(byte b, boolean caseless) {
        return caseless && b >= 'A' && b <= 'Z' ? (byte) (b | 0x20) : b;
    }

    /** One pass over a pattern's source from after its leading flags; null when the source is not understood. */
    private static final class Reader {
        private final String source;
        private int at;
        private final StringBuilder run = new StringBuilder();
        private String best = "";

        Reader(String source, int start) {
            this.source = source;
            this.at = start;
        }

        String longestRun() {
            while (at < source.length()) {
                char c = source.charAt(at);
                boolean ok;
                switch (c) {
                    case '\\' -> ok = escape();
                    case '[' -> ok = skipClass();
                    case '(' -> ok = skipGroup();
                    case '|' -> ok = false; // alternatives: no single literal is required
                    case '?', '*', '{' -> ok = quantifier(true);
                    case '+' -> ok = quantifier(false);
                    default -> ok = plain(c);
                }
                if (!ok) {
                    return null;
                }
            }
            endRun();
            return best;
        }

        private boolean plain(char c) {
            at++;
            if (c < 0x80 && c >= 0x20 && ".^$)]}".indexOf(c) < 0) {
                run.append(c);
            } else {
                endRun();
            }
            return true;
        }

        private boolean escape() {
            if (at + 1 >= source.length()) {
                return false;
            }
            char e = source.charAt(at + 1);
            at += 2;
            if (e >= 0x80) {
                return false;
            }
            if (Character.isLetterOrDigit(e)) {
                boolean known = CLASS_ESCAPES.indexOf(e) >= 0 && !(e == 'b' && peek('{'));
                endRun();
                return known; // hex, Unicode, octal, \c, \p, \k, \Q, back references: their length is not read here
            }
            if (e >= 0x20) {
                run.append(e); // an escaped punctuation character is itself
            } else {
                endRun();
            }
            return true;
        }

        /** A quantifier applies to the atom before it; {@code optional} drops that atom from the run. */
        private boolean quantifier(boolean optional) {
            if (optional && run.length() > 0) {
                run.setLength(run.length() - 1);
            }
            endRun();
            if (source.charAt(at) == '{') {
                int close = source.indexOf('}', at);
                if (close < 0) {
                    return false;
                }
                at = close + 1;
            } else {
                at++;
            }
            if (peek('?') || peek('+')) {
                at++; // lazy or possessive
            }
            return true;
        }

        private boolean skipClass() {
            endRun();
            at++;
            if (peek('^')) {
                at++;
            }
            if (peek(']')) {
                return false;
            }
            for (int depth = 1; at < source.length(); ) {
                char c = source.charAt(at);
                if (c == '\\' && !skipEscape()) {
                    return false;
                } else if (c != '\\') {
                    at++;
                    depth += c == '[' ? 1 : c == ']' ? -1 : 0;
                    if (depth == 0) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Steps over an escape inside a class or a group; false at {@code \Q}, whose end is not looked for. */
        private boolean skipEscape() {
            if (at + 1 < source.length() && source.charAt(at + 1) == 'Q') {
                return false;
            }
            at += 2;
            return true;
        }

        private boolean skipGroup() {
            endRun();
            int depth = 0;
            while (at < source.length()) {
                char c = source.charAt(at);
                if (c == '\\') {
                    if (!skipEscape()) {
                        return false;
                    }
                    continue;
                }
                if (c == '[') {
                    if (!skipClass()) {
                        return false;
                    }
                    continue;
                }
                if (c == '(' && flagGroupEnd(source, at) >= 0) {
                    return false; // flags set in mid-pattern may change how what follows matches
                }
                at++;
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    return true;
                }
            }
            return false;
        }

        private boolean peek(char c) {
            return at < source.length() && source.charAt(at) == c;
        }

        private void endRun() {
            if (run.length() > best.length()) {
                best = run.toString();
            }
            run.setLength(0);
        }
    }
}
