package dev.patrol.transport.ssh;

/** Where a {@link TargetConnection} stands: what {@code patrol_ssh_sessions{state}} counts. */
enum ConnectionState {
    /** A handshake is waiting for its slot or in progress. */
    CONNECTING,
    /** Authenticated, with at least one run using it. */
    OPEN,
    /** Authenticated and unused, until {@code session-idle-close}. */
    IDLE,
    /** The last attempt failed and its backoff has not passed: runs fail at once with its reason. */
    FAILED,
    /** No session and nothing to report: not counted. */
    CLOSED
}
