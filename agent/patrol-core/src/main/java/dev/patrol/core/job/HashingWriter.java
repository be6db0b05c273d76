package dev.patrol.core.job;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hashes and writes a download's chunks on a thread of its own. MINA's SFTP stream asks the server for more data only
 * when the reading thread comes back for it, so a thread that also hashed and wrote every chunk left the server
 * idle meanwhile: one stream moved half of what two streams over the same session did. With this writer a warm 1 GiB
 * fetch is 13–15 % faster for the same CPU (docs/BENCHMARKS.md, "Fetch jobs"). The reader takes an empty buffer
 * ({@link #buffer()}), fills it and hands it over ({@link #submit}); a fixed number of buffers circulate, so memory
 * stays flat. A write that fails (a full disk) is rethrown to the reader at its next call, as the same exception.
 *
 * <p>One reader thread; {@link #finish()} or {@link #close()} from that thread.
 */
final class HashingWriter implements AutoCloseable {
    private static final int BUFFERS = 4;

    private record Chunk(byte[] bytes, int length) {}

    private static final Chunk END = new Chunk(new byte[0], 0);
    private static final Chunk ABORT = new Chunk(new byte[0], 0);

    private final FileChannel out;
    private final MessageDigest digest;
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    private final Thread thread;
    private volatile IOException failure;
    private boolean done;

    HashingWriter(FileChannel out, MessageDigest digest, int chunkBytes) {
        this.out = out;
        this.digest = digest;
        for (int i = 0; i < BUFFERS; i++) {
            free.add(new byte[chunkBytes]);
        }
        thread = WorkerThreads.start("patrol-fetch-write", this::run);
    }

    /** An empty buffer to read into; waits while all of them are being written. */
    byte[] buffer() throws IOException {
        rethrow();
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the file to be written");
        }
    }

    /** Hands over {@code length} bytes of a buffer from {@link #buffer()} to be hashed and written, in order. */
    void submit(byte[] bytes, int length) throws IOException {
        rethrow();
        put(new Chunk(bytes, length));
    }

    /** Waits until every chunk submitted is hashed and written; throws what a write threw. */
    void finish() throws IOException {
        put(END);
        done = true;
        WorkerThreads.joinUninterruptibly(thread);
        rethrow();
    }

    /** Stops the writer without finishing, when the download failed; chunks not yet written are dropped. */
    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        full.clear(); // this thread is the only producer, so the queue now has room
        full.add(ABORT);
        WorkerThreads.joinUninterruptibly(thread);
    }

    private void put(Chunk chunk) throws InterruptedIOException {
        try {
            full.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing data to the file writer");
        }
    }

    private void rethrow() throws IOException {
        IOException e = failure;
        if (e != null) {
            throw e;
        }
    }

    private void run() {
        try {
            for (Chunk chunk = full.take(); chunk != END && chunk != ABORT; chunk = full.take()) {
                if (failure == null) {
                    write(chunk);
                }
                free.put(chunk.bytes());
            }
        } catch (InterruptedException e) {
            failure = new InterruptedIOException("the file writer was interrupted");
        }
    }

    private void write(Chunk chunk) {
        try {
            digest.update(chunk.bytes(), 0, chunk.length());
            ByteBuffer buffer = ByteBuffer.wrap(chunk.bytes(), 0, chunk.length());
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        } catch (IOException e) {
            failure = e; // kept draining so that the reader, waiting for a buffer, sees it
        } catch (RuntimeException | Error e) {
            // Not left to end the thread: the reader would wait for a buffer for ever.
            failure = new IOException("writing the download failed: " + e, e);
        }
    }
}
