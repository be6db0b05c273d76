package dev.patrol.transport.ssh;

import java.time.Duration;

/**
 * How long to leave a target alone after a failed connect: 1 s, doubling up to a cap, reset by a success. While it
 * lasts, commands fail fast with the last failure instead of hammering a host that is down.
 *
 * <p>Not thread-safe; the owning connection guards it.
 */
final class Backoff {
    private final Duration initial;
    private final Duration max;
    private Duration next;

    Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The pause after one more failure; each call doubles the next one, up to the cap. */
    Duration failed() {
        Duration current = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return current;
    }

    void succeeded() {
        next = initial;
    }
}
