package dev.patrol.transport.ssh;

import java.time.Duration;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;

/**
 * A channel open the server refused for now rather than for good. OpenSSH counts a closed channel against
 * {@code MaxSessions} until it has reaped the channel's process, and a server may allow fewer sessions than
 * {@code max-channels}; both answer the open with a refusal that a pause cures. Every opener (commands in
 * {@link ConnectionRun}, SFTP channels in {@link SftpChannels}) asks again after {@link #PAUSE}, up to
 * {@link #MAX} times, within its own deadline.
 */
final class RefusedOpens {
    static final Duration PAUSE = Duration.ofMillis(200);
    /** Two minutes of pauses: longer than any reap, short of hiding a server that never frees a session. */
    static final int MAX = 600;

    private RefusedOpens() {}

    static boolean isRefused(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            // OpenSSH answers "no more sessions" (MaxSessions reached) with CONNECT_FAILED; others use PROHIBITED.
            if (cause instanceof SshChannelOpenException open
                    && (open.getReasonCode() == SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED
                            || open.getReasonCode() == SshConstants.SSH_OPEN_CONNECT_FAILED)) {
                return true;
            }
        }
        return false;
    }
}
