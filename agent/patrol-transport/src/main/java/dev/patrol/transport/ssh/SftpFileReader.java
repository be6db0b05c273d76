package dev.patrol.transport.ssh;

import dev.patrol.api.Reason;
import dev.patrol.api.RemoteFileReader;
import dev.patrol.api.SshFailure;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.client.impl.SftpInputStreamAsync;
import org.apache.sshd.sftp.common.SftpException;

/**
 * {@link RemoteFileReader} over one SFTP channel (one {@link SftpClient}) held for a run: the channel is opened once,
 * the file handle is kept while reads stay on one path, and each read sends its requests pipelined through MINA's
 * {@link SftpInputStreamAsync} (as many outstanding {@value #REQUEST_BYTES}-byte reads as the channel window holds),
 * so a read costs about one round trip instead of one per server packet, and no channel open or subsystem start.
 *
 * <p>Thread-safe: reads run one at a time on the pool's SFTP executor under the object's lock; {@link #close} takes
 * no lock, so the deadline can close the channel under a read blocked on the network.
 */
final class SftpFileReader implements RemoteFileReader {
    /** One SSH_FXP_READ: OpenSSH's sftp-server answers at most 255 KiB; 64 KiB fills a 2 MiB window 32 times. */
    static final int REQUEST_BYTES = 64 * 1024;

    private final SftpClient client;
    private final Executor executor;
    private final Runnable release;
    private final String where;
    private final AtomicBoolean closed = new AtomicBoolean();
    private String openPath;
    private SftpClient.CloseableHandle handle;

    private SftpFileReader(SftpClient client, Executor executor, Runnable release, String where) {
        this.client = client;
        this.executor = executor;
        this.release = release;
        this.where = where;
    }

    /** Opens the SFTP channel; blocks. {@code release} is run once, when the reader is closed. */
    static SftpFileReader open(
            SftpChannels channels,
            ClientSession session,
            BooleanSupplier stop,
            Executor executor,
            Runnable release,
            String where)
            throws IOException {
        return new SftpFileReader(channels.open(session, stop), executor, release, where);
    }

    @Override
    public CompletionStage<byte[]> read(String path, long offset, int maxBytes) {
        if (offset < 0 || maxBytes < 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("negative offset or length"));
        }
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(readNow(path, offset, maxBytes));
                } catch (SftpException e) {
                    result.completeExceptionally(SftpRead.translate(e, path));
                } catch (IOException | RuntimeException e) {
                    result.completeExceptionally(closed.get() || !client.isOpen() ? closedFailure() : e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new SshFailure(Reason.CONNECTION_FAILED, "the SSH pool is closed"));
        }
        return result;
    }

    private synchronized byte[] readNow(String path, long offset, int maxBytes) throws IOException {
        if (closed.get()) {
            throw closedFailure();
        }
        SftpClient.CloseableHandle file = handleFor(path);
        byte[] buffer = new byte[maxBytes];
        int filled = 0;
        try (InputStream in = stream(path, file, offset, maxBytes)) {
            while (filled < maxBytes) {
                int n = in.read(buffer, filled, maxBytes - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
        }
        return filled == maxBytes ? buffer : Arrays.copyOf(buffer, filled);
    }

    /** Pipelined reads of {@code [offset, offset + length)}: requests stop at the range's end (plus one at most). */
    private InputStream stream(String path, SftpClient.CloseableHandle file, long offset, int length)
            throws IOException {
        if (client instanceof AbstractSftpClient pipelined) {
            return new SftpInputStreamAsync(pipelined, REQUEST_BYTES, offset, offset + length, path, file, false);
        }
        return new InputStream() { // not MINA's default client: one request at a time
            private long position = offset;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] into, int from, int count) throws IOException {
                int n = client.read(file, position, into, from, count);
                position += Math.max(n, 0);
                return n;
            }
        };
    }

    /** The open handle of {@code path}, kept from the previous read of the same path, else opened now. */
    private SftpClient.CloseableHandle handleFor(String path) throws IOException {
        if (handle != null && path.equals(openPath)) {
            return handle;
        }
        closeHandle();
        handle = client.open(path, SftpClient.OpenMode.Read);
        openPath = path;
        return handle;
    }

    private void closeHandle() {
        SftpClient.CloseableHandle old = handle;
        handle = null;
        openPath = null;
        if (old != null) {
            try {
                old.close();
            } catch (IOException | RuntimeException e) {
                // The file was already gone from the server's table, or the channel is closing.
            }
        }
    }

    private SshFailure closedFailure() {
        return new SshFailure(Reason.TIMEOUT, "the file reader on " + where + " was closed (the run's deadline)");
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            client.close(); // the server closes the open file with the channel
        } catch (IOException | RuntimeException e) {
            // Already closed, or the session is gone: nothing left to free.
        } finally {
            release.run();
        }
    }
}
