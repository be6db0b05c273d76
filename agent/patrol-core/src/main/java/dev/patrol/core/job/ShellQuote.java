package dev.patrol.core.job;

/**
 * POSIX shell quoting for a word given to the target's login shell: single quotes around it, each single quote inside
 * written as {@code '\''}. Spaces, double quotes, {@code $} and backquotes are then plain characters. Newlines are
 * rejected at load ({@code paths} must be on one line), so a quoted word cannot end a command.
 */
final class ShellQuote {
    private ShellQuote() {}

    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
