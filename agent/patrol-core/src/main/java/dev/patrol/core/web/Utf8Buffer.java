package dev.patrol.core.web;

import java.io.Writer;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A {@link Writer} that encodes what it is given as UTF-8 into one growing byte array, allocating nothing per call.
 *
 * <p>Why not an {@code OutputStreamWriter} over a {@code ByteArrayOutputStream}: simpleclient's text format writes
 * each name, label and value as its own small call (label values a character at a time), and the JDK's encoder
 * wraps every call's characters in a new {@code CharBuffer} and copies them into a new array. Measured at 84,000
 * series (a 5 MB exposition), that was about 190 MB of garbage per scrape, enough to set off full collections of a
 * nearly full heap (docs/BENCHMARKS.md). Here a scrape allocates its output array and that array's growth, nothing
 * more. Characters that are not valid UTF-16 (a lone surrogate) become {@code ?}, as the JDK's encoder writes them.
 *
 * <p>Not thread-safe: one scrape writes it.
 */
final class Utf8Buffer extends Writer {
    private byte[] bytes;
    private int count;
    /** A high surrogate whose low half has not been written yet, else 0. */
    private char pendingHigh;

    Utf8Buffer(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    @Override
    public void write(int c) {
        put((char) c);
    }

    @Override
    public void write(char[] chars, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            put(chars[i]);
        }
    }

    @Override
    public void write(String text) {
        write(text, 0, text.length());
    }

    @Override
    public void write(String text, int offset, int length) {
        putAll(text, offset, offset + length);
    }

    @Override
    public Writer append(CharSequence text) {
        CharSequence chars = text == null ? "null" : text;
        putAll(chars, 0, chars.length());
        return this;
    }

    @Override
    public Writer append(char c) {
        put(c);
        return this;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        endPending();
    }

    /** The bytes written so far, not copied: valid until the next write. */
    ByteBuffer bytes() {
        endPending();
        return ByteBuffer.wrap(bytes, 0, count);
    }

    int size() {
        return count;
    }

    private void putAll(CharSequence chars, int from, int to) {
        for (int i = from; i < to; i++) {
            put(chars.charAt(i));
        }
    }

    private void put(char c) {
        if (c < 0x80 && pendingHigh == 0) {
            ensure(1);
            bytes[count++] = (byte) c;
            return;
        }
        if (pendingHigh != 0) {
            char high = pendingHigh;
            pendingHigh = 0;
            if (Character.isLowSurrogate(c)) {
                putCodePoint(Character.toCodePoint(high, c));
                return;
            }
            putCodePoint('?');
        }
        if (Character.isHighSurrogate(c)) {
            pendingHigh = c;
        } else if (Character.isLowSurrogate(c)) {
            putCodePoint('?');
        } else {
            putCodePoint(c);
        }
    }

    private void endPending() {
        if (pendingHigh != 0) {
            pendingHigh = 0;
            putCodePoint('?');
        }
    }

    private void putCodePoint(int cp) {
        ensure(4);
        if (cp < 0x80) {
            bytes[count++] = (byte) cp;
        } else if (cp < 0x800) {
            bytes[count++] = (byte) (0xC0 | cp >> 6);
            bytes[count++] = (byte) (0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            bytes[count++] = (byte) (0xE0 | cp >> 12);
            bytes[count++] = (byte) (0x80 | cp >> 6 & 0x3F);
            bytes[count++] = (byte) (0x80 | cp & 0x3F);
        } else {
            bytes[count++] = (byte) (0xF0 | cp >> 18);
            bytes[count++] = (byte) (0x80 | cp >> 12 & 0x3F);
            bytes[count++] = (byte) (0x80 | cp >> 6 & 0x3F);
            bytes[count++] = (byte) (0x80 | cp & 0x3F);
        }
    }

    private void ensure(int more) {
        if (count + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + more));
        }
    }
}
