package dev.patrol.plugin.logtail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes a run spools for one file, kept as slices of the buffers they were read into rather than copied: complete
 * lines already end with their newline in the read buffer, so a chunk's lines are one slice, and only a piece of an
 * over-long line or a last line without newline adds a one-byte slice. A 1 GB catch-up spent a fifth of the agent's
 * CPU in garbage collection when these bytes were copied into a growing array once more per run.
 *
 * <p>Not thread-safe; one instance per file per run.
 */
final class SpoolBytes {
    private static final byte[] NEWLINE = {'\n'};

    private final List<ByteBuffer> slices = new ArrayList<>();
    private long size;

    /** Adds {@code data[from, from + length)}; the array must not change until the run has committed. */
    void add(byte[] data, int from, int length) {
        if (length > 0) {
            slices.add(ByteBuffer.wrap(data, from, length));
            size += length;
        }
    }

    void addNewline() {
        add(NEWLINE, 0, 1);
    }

    long size() {
        return size;
    }

    /** Writes every slice at the channel's position, in order. */
    void writeTo(FileChannel channel) throws IOException {
        for (ByteBuffer slice : slices) {
            ByteBuffer view = slice.duplicate();
            while (view.hasRemaining()) {
                channel.write(view);
            }
        }
    }

    byte[] toByteArray() {
        ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(size));
        slices.forEach(slice -> all.put(slice.duplicate()));
        return all.array();
    }
}
