package dev.patrol.transport.ssh;

/**
 * How large one SSH connection's socket read buffer should be, decided after each read. MINA's NIO2 backend keeps a
 * read pending on every connection for the connection's whole life, with a buffer it allocates once: at the size a
 * bulk SFTP stream needs (16 KiB), 2,000 idle check connections hold 32 MB of buffers that carry a few hundred bytes
 * every half minute. So a connection starts small, grows at once when a read fills its buffer (a stream is arriving),
 * and shrinks again after a run of reads that the small buffer would have held.
 *
 * <p>One instance per connection. Not thread-safe: the connection's reads complete one after another.
 */
final class ReadBufferSizing {
    /** Reads at most {@code small} bytes long, in a row, after which a large buffer goes back to the small size. */
    static final int SMALL_READS_BEFORE_SHRINK = 16;

    private final int small;
    private final int large;
    private int smallReadsInARow;

    /**
     * @param small the size a connection starts with and returns to: a check's packets fit in it
     * @param large the size a stream is read with
     */
    ReadBufferSizing(int small, int large) {
        if (small <= 0 || large < small) {
            throw new IllegalArgumentException("need 0 < small <= large, got " + small + " and " + large);
        }
        this.small = small;
        this.large = large;
    }

    int initial() {
        return small;
    }

    /**
     * The capacity the next read should use, after a read of {@code bytesRead} bytes into a buffer of
     * {@code capacity}.
     */
    int afterRead(int capacity, int bytesRead) {
        if (bytesRead >= capacity) {
            smallReadsInARow = 0;
            return Math.max(capacity, large);
        }
        if (capacity <= small) {
            return capacity;
        }
        if (bytesRead > small) {
            smallReadsInARow = 0;
            return capacity;
        }
        if (++smallReadsInARow < SMALL_READS_BEFORE_SHRINK) {
            return capacity;
        }
        smallReadsInARow = 0;
        return small;
    }
}
