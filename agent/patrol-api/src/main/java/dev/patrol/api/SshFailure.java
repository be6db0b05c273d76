package dev.patrol.api;

import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Why a command could not be run over SSH: a {@link Reason} for the {@code reason} label plus a message for people.
 * The message may name the target and a key fingerprint, never a secret.
 */
public final class SshFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    public SshFailure(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public SshFailure(Reason reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /**
     * Turns a failed {@link SshSessions#exec} stage into a CRITICAL result, for use with {@code exceptionally}. Any
     * other exception is rethrown, so that the engine counts it as a plugin error.
     */
    public static CheckResult toResult(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof SshFailure failure) {
            return new CheckResult(Status.CRITICAL, failure.reason(), failure.getMessage(), "", List.of());
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw new CompletionException(cause);
    }
}
