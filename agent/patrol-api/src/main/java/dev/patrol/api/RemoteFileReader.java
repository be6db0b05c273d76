package dev.patrol.api;

import java.util.concurrent.CompletionStage;

/**
 * Reads files on one target through one open channel, for a run that reads many ranges: every read reuses the same
 * channel and, while it stays on one path, the same open file. Obtained from {@link SshSessions#openReader}; holds
 * one of the connection's channel permits until {@link #close()}, which the run must call (try-with-resources). The
 * run's deadline closes it as well, which ends a read blocked on the network.
 *
 * <pre>{@code
 * try (RemoteFileReader reader = context.ssh().openReader(target, context).toCompletableFuture().get()) {
 *     byte[] head = reader.read("/var/log/app.log", 0, 1 << 20).toCompletableFuture().get();
 * }
 * }</pre>
 *
 * <p>Thread-safe; reads are served one at a time, in the order they were asked for.
 */
public interface RemoteFileReader extends AutoCloseable {

    /**
     * Reads up to {@code maxBytes} of the file at {@code path} from byte {@code offset}, with the requests pipelined.
     * Fewer bytes (or none) come back at the end of the file. Consecutive reads of the same path read the same open
     * file, even if the path is renamed or replaced in between; a read of another path opens that one.
     *
     * @return a stage with the bytes read; it fails with {@link java.nio.file.NoSuchFileException} for a missing
     *     file, {@link java.nio.file.AccessDeniedException} for one that cannot be read, another
     *     {@link java.io.IOException} for other errors, and {@link SshFailure} when the reader was closed or the
     *     connection failed
     */
    CompletionStage<byte[]> read(String path, long offset, int maxBytes);

    /** Closes the open file and the channel, and gives the channel permit back; later reads fail. Idempotent. */
    @Override
    void close();
}
