package dev.patrol.transport.ssh;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keeps the first {@code cap} bytes written to it and counts the rest, which it drops. MINA writes channel data to
 * it on an I/O thread, so a write never blocks and never grows memory past the cap.
 *
 * <p>Thread-safe.
 */
final class CappedOutput extends OutputStream {
    private final int cap;
    private byte[] buffer = new byte[0];
    private int kept;
    private long total;

    CappedOutput(int cap) {
        this.cap = cap;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] data, int offset, int length) {
        total += length;
        int room = Math.min(length, cap - kept);
        if (room <= 0) {
            return;
        }
        if (kept + room > buffer.length) {
            int grown = Math.max(kept + room, Math.min(cap, Math.max(256, buffer.length * 2)));
            buffer = Arrays.copyOf(buffer, grown);
        }
        System.arraycopy(data, offset, buffer, kept, room);
        kept += room;
    }

    /** The bytes kept, decoded as UTF-8; a character cut by the cap shows as U+FFFD. */
    synchronized String text() {
        return new String(buffer, 0, kept, StandardCharsets.UTF_8);
    }

    /** Whether more was written than kept. */
    synchronized boolean truncated() {
        return total > kept;
    }

    synchronized long total() {
        return total;
    }
}
