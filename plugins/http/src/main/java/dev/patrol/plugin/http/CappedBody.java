package dev.patrol.plugin.http;

import java.nio.charset.Charset;

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
}
