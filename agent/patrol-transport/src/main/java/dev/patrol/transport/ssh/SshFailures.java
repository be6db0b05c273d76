package dev.patrol.transport.ssh;

import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;

/**
 * Turns what MINA and the JDK throw into an {@link SshFailure} with one of the closed set of reasons, and a message
 * that names the target.
 *
 * <p>Stateless and thread-safe.
 */
final class SshFailures {

    private SshFailures() {}

    /** The failure {@code error} stands for, while doing {@code what} ("connect to root@host:22"). */
    static SshFailure classify(Throwable error, String what) {
        Throwable cause = error;
        for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) {
            if (cause instanceof SshFailure failure) {
                return failure;
            }
            Reason reason = reasonOf(cause);
            if (reason != null) {
                return new SshFailure(reason, "cannot " + what + ": " + describe(cause), error);
            }
        }
        return new SshFailure(Reason.CONNECTION_FAILED, "cannot " + what + ": " + describe(error), error);
    }

    private static Reason reasonOf(Throwable cause) {
        if (cause instanceof ConnectException && !(cause instanceof NoRouteToHostException)) {
            return Reason.CONNECTION_REFUSED;
        }
        if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
            return Reason.DNS_FAILED;
        }
        if (cause instanceof SocketTimeoutException
                || cause instanceof InterruptedByTimeoutException
                || cause instanceof TimeoutException) {
            return Reason.TIMEOUT;
        }
        return null;
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        if (error instanceof SshChannelOpenException open) {
            return "the server refused the channel: " + message + " ("
                    + SshConstants.getOpenErrorCodeName(open.getReasonCode()) + ")";
        }
        if (error instanceof UnresolvedAddressException || error instanceof UnknownHostException) {
            return "host name not found" + (message == null ? "" : " (" + message + ")");
        }
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }
}
