package dev.patrol.plugin.logtail;

import java.util.regex.Pattern;

/**
 * The path globs of {@code paths}: {@code *} and {@code ?} match within one path segment, every other character stands
 * for itself. The remote shell expands them; this class tells which expanded names a configured path stands for.
 *
 * <p>Stateless and thread-safe.
 */
final class Globs {

    private Globs() {}

    static boolean isGlob(String path) {
        return path.indexOf('*') >= 0 || path.indexOf('?') >= 0;
    }

    static Pattern toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? "[^/]*" : "[^/]");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString());
    }

    /**
     * The pattern that also finds the rotated names of what {@code path} matches ({@code app.log.1},
     * {@code app.log-20240101}), so that a renamed file can be found again by its identity.
     */
    static String withRotated(String path) {
        return path + "*";
    }
}
