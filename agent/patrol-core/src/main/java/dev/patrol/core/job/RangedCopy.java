package dev.patrol.core.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.sftp.client.SftpClient;

/**
 * Copies one large remote file over several SFTP channels of the same session ({@code streams}), each reading its own
 * byte range and writing it at its place in the local file, while one more thread hashes the file front to back as
 * its ranges fill in. One warm stream moved 115–140 MB/s on the benchmark machine because the local write and hash
 * are one thread's work in series with the reads; over two channels a running agent's 1 GiB fetch moved 185–205 MB/s
 * for the same agent CPU (docs/BENCHMARKS.md, "Fetch jobs"). The hash reads back what was written, from the page
 * cache, right behind the writes: it covers the bytes on disk, not only the bytes received.
 *
 * <p>The last range reads one byte past the listed size, so a file that grew is seen; a range that ends early (the
 * file shrank) stops the hash there and the copy reports only the bytes before the gap, so the size check that
 * follows fails. A failure of any range (a closed channel, a full disk, {@code max-bytes}) closes the other ranges'
 * channels and is rethrown as itself. Memory stays flat: each range holds one buffer and its channel's window.
 *
 * <p>Not thread-safe; one per file.
 */
final class RangedCopy {
    /** Files smaller than this are read by one stream: a second channel would cost more than it saves. */
    static final long MIN_RANGED_BYTES = 32L * 1024 * 1024;

    private static final int CHUNK = 256 * 1024;
    /**
     * How often the hash thread asks the kernel to write the file out. On a machine with plenty of memory nothing
     * reaches the disk before the final fsync, which then wrote the whole file while the transfer waited; flushed
     * along the way, a warm 1 GiB fetch took 5.3 s against 5.9 s (docs/BENCHMARKS.md, "Fetch jobs").
     */
    private static final long FLUSH_BYTES = 64L * 1024 * 1024;

    /** What was copied: the bytes in order from the start of the file, and their SHA-256. */
    record Copied(long bytes, byte[] sha256) {}

    private final List<SftpClient> channels;
    private final String path;
    private final int readSize;
    private final FileChannel out;
    private final MessageDigest digest;
    private final TransferMeter meter;
    private final long[] start;
    private final long[] end;
    private final Object lock = new Object();
    private final long[] filled; // guarded by lock: bytes written from each range's start
    private final boolean[] finished; // guarded by lock
    private IOException failure; // guarded by lock

    /** A copy of {@code path}, listed at {@code size} bytes, over {@code channels}; it starts at {@link #run}. */
    RangedCopy(
            List<SftpClient> channels,
            String path,
            long size,
            int readSize,
            FileChannel out,
            MessageDigest digest,
            TransferMeter meter) {
        this.channels = channels;
        this.path = path;
        this.readSize = readSize;
        this.out = out;
        this.digest = digest;
        this.meter = meter;
        int n = channels.size();
        start = new long[n];
        end = new long[n];
        long step = size / n;
        for (int i = 0; i < n; i++) {
            start[i] = i * step;
            end[i] = i == n - 1 ? size + 1 : (i + 1) * step;
        }
        filled = new long[n];
        finished = new boolean[n];
    }

    /**
     * Copies the file into {@code out}, one range per channel, updating {@code digest} with the bytes in file order.
     * The first channel reads on the calling thread; the caller closes every channel afterwards.
     */
    Copied run() throws IOException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i < channels.size(); i++) {
            int range = i;
            threads.add(WorkerThreads.start("patrol-fetch-range", () -> readRange(range)));
        }
        long[] hashed = new long[1];
        threads.add(WorkerThreads.start("patrol-fetch-hash", () -> hashed[0] = hash()));
        readRange(0);
        for (Thread thread : threads) {
            WorkerThreads.joinUninterruptibly(thread);
        }
        synchronized (lock) {
            if (failure != null) {
                throw failure;
            }
        }
        return new Copied(hashed[0], digest.digest());
    }

    private void readRange(int range) {
        try (InputStream in = channels.get(range).read(path, readSize)) {
            skipTo(in, start[range]);
            byte[] buffer = new byte[meter.chunk(CHUNK)];
            long position = start[range];
            while (position < end[range] && !failed()) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, end[range] - position));
                if (n < 0) {
                    break;
                }
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                while (bytes.hasRemaining()) {
                    out.write(bytes, position + bytes.position());
                }
                position += n;
                synchronized (lock) {
                    filled[range] += n;
                    lock.notifyAll();
                }
                meter.moved(n);
            }
        } catch (IOException e) {
            fail(e);
        } catch (RuntimeException | Error e) {
            fail(new IOException("reading '" + path + "' failed: " + e, e));
        } finally {
            synchronized (lock) {
                finished[range] = true;
                lock.notifyAll();
            }
        }
    }

    /** MINA's stream skips ahead without reading when nothing was read yet; another stream would read through. */
    private static void skipTo(InputStream in, long offset) throws IOException {
        long left = offset;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                throw new IOException("could not reach offset " + offset + " of the remote file");
            }
            left -= skipped;
        }
    }

    /** Hashes the file in order as the ranges fill it; returns how many bytes from the start it covered. */
    private long hash() {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        long position = 0;
        try {
            for (int range = 0; range < start.length; range++) {
                while (true) {
                    long available;
                    synchronized (lock) {
                        while (failure == null && !finished[range] && start[range] + filled[range] <= position) {
                            lock.wait();
                        }
                        if (failure != null) {
                            return position;
                        }
                        available = start[range] + filled[range] - position;
                    }
                    if (available <= 0) {
                        break; // this range is done and hashed
                    }
                    buffer.clear().limit((int) Math.min(CHUNK, available));
                    int n = out.read(buffer, position);
                    if (n <= 0) {
                        throw new IOException("the partly written file ended at " + position + " bytes");
                    }
                    digest.update(buffer.array(), 0, n);
                    position += n;
                    if (position % FLUSH_BYTES < n) {
                        out.force(false);
                    }
                }
                if (position < end[range] && range < start.length - 1) {
                    return position; // the range ended early: the file shrank, and what follows is a gap
                }
            }
            return position;
        } catch (IOException e) {
            fail(e);
        } catch (InterruptedException e) {
            fail(new InterruptedIOException("interrupted while hashing the download"));
        } catch (RuntimeException | Error e) {
            fail(new IOException("hashing '" + path + "' failed: " + e, e));
        }
        return position;
    }

    private boolean failed() {
        synchronized (lock) {
            return failure != null;
        }
    }

    /**
     * Keeps the first failure and closes the channels this copy was lent for its other ranges, which ends their reads
     * blocked on the network. The first channel is the caller's: its range sees the failure after its next chunk, and
     * the job's timeout closes it if the network went silent.
     */
    private void fail(IOException e) {
        synchronized (lock) {
            if (failure != null) {
                return;
            }
            failure = e;
            lock.notifyAll();
        }
        channels.subList(1, channels.size()).forEach(RemoteFiles::closeQuietly);
    }
}
