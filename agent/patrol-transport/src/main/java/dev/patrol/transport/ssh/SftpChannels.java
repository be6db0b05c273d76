package dev.patrol.transport.ssh;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.function.BooleanSupplier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * Opens SFTP channels on a pooled session the way commands' channels are opened: an open the server refuses for now
 * ({@link RefusedOpens}) is asked again after a pause instead of failing the job or the log read, and counted in
 * {@code patrol_ssh_channel_refusals_total}. Blocks the calling thread, which must not be one of MINA's.
 *
 * <pre>{@code
 * try (SftpClient sftp = pool.sftpChannels().open(session, cancelled::isDone)) { ... }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class SftpChannels {
    private final SshMetrics metrics;

    SftpChannels(SshMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Opens one SFTP channel on {@code session}, asking again while the server refuses it and {@code stop} is false.
     *
     * @throws InterruptedIOException when the thread is interrupted during a pause
     * @throws IOException the refusal itself once {@code stop} is true or the pauses are spent, or any other failure
     */
    public SftpClient open(ClientSession session, BooleanSupplier stop) throws IOException {
        for (int refusals = 0; ; refusals++) {
            try {
                return SftpClientFactory.instance().createSftpClient(session);
            } catch (IOException e) {
                if (!RefusedOpens.isRefused(e)
                        || refusals >= RefusedOpens.MAX
                        || stop.getAsBoolean()
                        || !session.isOpen()) {
                    throw e;
                }
                metrics.channelRefused();
                pause(e);
            }
        }
    }

    private static void pause(IOException refusal) throws InterruptedIOException {
        try {
            Thread.sleep(RefusedOpens.PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted =
                    new InterruptedIOException("interrupted while the server refused an SFTP channel");
            interrupted.initCause(refusal);
            throw interrupted;
        }
    }
}
