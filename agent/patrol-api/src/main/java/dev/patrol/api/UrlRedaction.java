package dev.patrol.api;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides what a URL may carry as a secret, for logs, summaries and the status page: the password of a
 * {@code user:password@} part and the value of every query parameter ({@code ?token=abc} becomes
 * {@code ?token=******}), except parameters named as safe. Works on the text, so a URL template with placeholders
 * ({@code https://{host}/x?key=1}) is redacted too; text that is not an absolute URL comes back unchanged.
 *
 * <pre>{@code
 * UrlRedaction.redact("https://api.example.com/v1?token=abc&page=2", Set.of("page"));
 * // https://api.example.com/v1?token=******&page=2
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class UrlRedaction {
    public static final String MASK = "******";

    private static final Pattern ABSOLUTE = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*", Pattern.DOTALL);
    private static final Pattern EMBEDDED = Pattern.compile("\\b[A-Za-z][A-Za-z0-9+.-]*://[^\\s'\"<>]+");

    private UrlRedaction() {}

    /** {@code url} with every query value and any user-info password masked. */
    public static String redact(String url) {
        return redact(url, Set.of());
    }

    /** {@code url} with its query values masked except those of the parameters in {@code safeParams}. */
    public static String redact(String url, Set<String> safeParams) {
        if (url == null || !ABSOLUTE.matcher(url).matches()) {
            return url;
        }
        int authorityStart = url.indexOf("://") + 3;
        int authorityEnd = indexOfAny(url, authorityStart, "/?#");
        StringBuilder out = new StringBuilder(url.length());
        out.append(url, 0, authorityStart);
        String authority = url.substring(authorityStart, authorityEnd);
        int at = authority.lastIndexOf('@');
        int colon = at < 0 ? -1 : authority.indexOf(':');
        if (colon >= 0 && colon < at) {
            out.append(authority, 0, colon + 1).append(MASK).append(authority.substring(at));
        } else {
            out.append(authority);
        }
        int query = url.indexOf('?', authorityEnd);
        int fragment = url.indexOf('#', authorityEnd);
        if (query < 0 || (fragment >= 0 && fragment < query)) {
            return out.append(url, authorityEnd, url.length()).toString();
        }
        int queryEnd = fragment < 0 ? url.length() : fragment;
        out.append(url, authorityEnd, query + 1);
        String[] params = url.substring(query + 1, queryEnd).split("&", -1);
        for (int i = 0; i < params.length; i++) {
            if (i > 0) {
                out.append('&');
            }
            String param = params[i];
            int equals = param.indexOf('=');
            if (equals < 0 || safeParams.contains(param.substring(0, equals))) {
                out.append(param);
            } else {
                out.append(param, 0, equals + 1).append(MASK);
            }
        }
        return out.append(url, queryEnd, url.length()).toString();
    }

    /** {@code text}, such as an exception message, with every URL in it redacted as by {@link #redact(String)}. */
    public static String redactWithin(String text) {
        if (text == null || text.indexOf("://") < 0) {
            return text;
        }
        return EMBEDDED.matcher(text).replaceAll(match -> Matcher.quoteReplacement(redact(match.group())));
    }

    private static int indexOfAny(String text, int from, String chars) {
        for (int i = from; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }
}
