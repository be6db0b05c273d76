package dev.patrol.plugin.logtail;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts bytes read from a file into lines for the spool. Only complete lines are taken: a last line without its
 * newline is left unread (its offset not passed) until the newline arrives, except that a line longer than
 * {@code maxLineLength} is split into pieces of that length, each spooled as a line of its own and counted as
 * truncated. Bytes are spooled as they are (binary and invalid UTF-8 included); patterns see the line decoded as
 * UTF-8 with malformed bytes replaced.
 *
 * <p>Not thread-safe; one instance per file per run.
 */
final class LineSplitter {
    private final int maxLineLength;
    /** One matcher per pattern, reset for each line: no allocation per line. */
    private final Matcher[] matchers;
    /** Per pattern, a literal its matches contain, or null: ASCII lines without it skip the regex. */
    private final RequiredLiteral[] literals;

    private final AsciiView ascii = new AsciiView();
    final SpoolBytes spooled = new SpoolBytes();
    final long[] matches;
    long consumed;
    long lines;
    long truncated;
    String lastLine = "";
    private byte[] lastData;
    private int lastFrom;
    private int lastLength = -1;

    LineSplitter(int maxLineLength, LinePatterns patterns) {
        this.maxLineLength = maxLineLength;
        List<Pattern> regexes = patterns.patterns();
        this.matches = new long[regexes.size()];
        this.matchers = new Matcher[regexes.size()];
        this.literals = patterns.literals().toArray(RequiredLiteral[]::new);
        for (int i = 0; i < matchers.length; i++) {
            matchers[i] = regexes.get(i).matcher("");
        }
    }

    /** Takes the complete lines of {@code data}, which starts where the previous call stopped consuming. */
    void accept(byte[] data, int length) {
        int start = 0;
        int slice = 0; // complete lines since here are spooled as one slice of data, newlines included
        while (start < length) {
            int newline = indexOf(data, (byte) '\n', start, Math.min(length, start + maxLineLength + 1));
            if (newline >= 0) {
                line(data, start, newline - start, false);
                start = newline + 1;
            } else if (length - start > maxLineLength) {
                line(data, start, maxLineLength, true);
                start += maxLineLength;
                spooled.add(data, slice, start - slice);
                spooled.addNewline();
                slice = start;
            } else {
                break; // a partial line: wait for its newline
            }
        }
        spooled.add(data, slice, start - slice);
        consumed += start;
        if (lastLength >= 0) {
            lastLine = new String(lastData, lastFrom, Math.min(lastLength, 300), StandardCharsets.UTF_8);
            lastData = null;
            lastLength = -1;
        }
    }

    /** Takes the rest of a file that will not grow again as a last line, newline added. */
    void flushPartial(byte[] data, int length) {
        if (length > 0) {
            line(data, 0, length, false);
            spooled.add(data, 0, length);
            spooled.addNewline();
            consumed += length;
            lastLine = new String(data, 0, Math.min(length, 300), StandardCharsets.UTF_8);
        }
    }

    /** Counts and matches one line; the caller spools its bytes. */
    private void line(byte[] data, int from, int length, boolean split) {
        lines++;
        if (split) {
            truncated++;
        }
        if (matches.length > 0) {
            // An ASCII line is its own UTF-8 decoding: matched in place, without a String per line.
            boolean isAscii = ascii.of(data, from, length);
            CharSequence text = isAscii ? ascii : null;
            for (int i = 0; i < matches.length; i++) {
                if (isAscii && literals[i] != null && !literals[i].foundIn(data, from, length)) {
                    continue; // cannot match: the regex is not run
                }
                if (text == null) {
                    text = new String(data, from, length, StandardCharsets.UTF_8);
                }
                if (matchers[i].reset(text).find()) {
                    matches[i]++;
                }
            }
        }
        lastData = data;
        lastFrom = from;
        lastLength = length;
    }

    private static int indexOf(byte[] data, byte value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** A window on ASCII bytes as characters; reused for every line. */
    private static final class AsciiView implements CharSequence {
        private byte[] data;
        private int from;
        private int length;

        /** Points the view at {@code data[from, from + length)}; false (view unchanged) if a byte is not ASCII. */
        boolean of(byte[] bytes, int start, int count) {
            for (int i = start, end = start + count; i < end; i++) {
                if (bytes[i] < 0) {
                    return false;
                }
            }
            this.data = bytes;
            this.from = start;
            this.length = count;
            return true;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            return (char) data[from + index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new String(data, from + start, end - start, StandardCharsets.US_ASCII);
        }

        @Override
        public String toString() {
            return new String(data, from, length, StandardCharsets.US_ASCII);
        }
    }
}
