package dev.patrol.transport.ssh;

import java.util.Optional;

/**
 * More channels on a connection where a job already holds one ({@link SshSessionPool#withChannel}): each is taken
 * without waiting or not at all, so a job's optional channels (a large file's extra byte ranges) never wait for, nor
 * overtake, the checks queued for the same connection's {@code max-channels}.
 *
 * <p>Thread-safe.
 */
public interface SpareChannels {
    /**
     * The permit for one more channel, when one is free now, another stays free after it (for the job's own commands,
     * such as a fetch's checksum, which the job waits for) and no command waits for one; empty otherwise.
     */
    Optional<Permit> tryTake();

    /** One channel's permit, held until {@link #close()}; closing it again does nothing. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /** Never a spare channel. */
    SpareChannels NONE = Optional::empty;
}
