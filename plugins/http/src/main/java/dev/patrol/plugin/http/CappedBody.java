package dev.patrol.plugin.http;

import java.net.http.HttpHeaders;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What was kept of a response body: at most {@code max-response-size} bytes, and only when the check looks at the
 * body at all.
 *
 * @param bytes the retained bytes, valid up to {@code length}; empty when the body was only counted
 * @param length how many bytes of {@code bytes} hold body
 * @param received how many body bytes arrived before reading stopped
 * @param overCap whether the body was larger than the cap (reading stopped there)
 */
record CappedBody(byte[] bytes, int length, long received, boolean overCap) {

    static final byte[] NONE = new byte[0];

    /** The retained bytes as text; malformed sequences become U+FFFD. */
    String text(Charset charset) {
        return new String(bytes, 0, length, charset);
    }

    /** The retained bytes as text in the charset of the response's {@code Content-Type}, UTF-8 by default. */
    String text(HttpHeaders headers) {
        return text(charsetOf(headers));
    }

    private static Charset charsetOf(HttpHeaders headers) {
        String type = headers.firstValue("content-type").orElse("");
        int at = type.toLowerCase(Locale.ROOT).indexOf("charset=");
        if (at < 0) {
            return StandardCharsets.UTF_8;
        }
        String name =
                type.substring(at + "charset=".length()).split("[;\\s]", 2)[0].replace("\"", "");
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
