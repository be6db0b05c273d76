package dev.patrol.transport.ssh;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * One ranged read over SFTP: opens an SFTP channel on the pooled session, reads, and closes the channel before
 * returning, so a read holds one channel permit for its own duration only. When {@code outcome} fails first (the
 * run's deadline), the channel is closed from outside, which ends a read blocked on the network.
 *
 * <p>Runs on a blocking executor; one instance per read.
 */
final class SftpRead {

    private SftpRead() {}

    static byte[] read(
            SftpChannels channels,
            ClientSession session,
            String path,
            long offset,
            int maxBytes,
            CompletableFuture<?> outcome)
            throws IOException {
        try (SftpClient client = channels.open(session, outcome::isDone)) {
            outcome.whenComplete((done, error) -> closeQuietly(client));
            try (SftpClient.CloseableHandle handle = client.open(path, SftpClient.OpenMode.Read)) {
                byte[] buffer = new byte[maxBytes];
                int filled = 0;
                // A server answers a large read with at most its own packet size (OpenSSH: 256 KiB): ask again.
                while (filled < maxBytes && !outcome.isDone()) {
                    int n = client.read(handle, offset + filled, buffer, filled, maxBytes - filled);
                    if (n < 0) {
                        break;
                    }
                    filled += n;
                }
                return filled == maxBytes ? buffer : Arrays.copyOf(buffer, filled);
            }
        } catch (SftpException e) {
            throw translate(e, path);
        }
    }

    static IOException translate(SftpException e, String path) {
        return switch (e.getStatus()) {
            case SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH -> new NoSuchFileException(path);
            case SftpConstants.SSH_FX_PERMISSION_DENIED -> new AccessDeniedException(path);
            default -> new IOException("cannot read " + path + ": " + e.getMessage(), e);
        };
    }

    private static void closeQuietly(SftpClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            // Already closed or the session is gone: nothing left to free.
        }
    }
}
