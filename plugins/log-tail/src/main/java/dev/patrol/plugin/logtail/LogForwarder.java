package dev.patrol.plugin.logtail;

import java.io.IOException;
import java.util.List;

/**
 * Where spooled lines go next, beside the spool: one implementation per protocol ({@link SyslogForwarder} today; an
 * HTTP push such as Loki's or Elasticsearch's bulk API fits the same shape). The spool is the buffer: the caller keeps
 * its own offset into the spool and moves it only after {@link #send} returned, so a failed or interrupted send is
 * repeated from the same lines (at-least-once).
 */
interface LogForwarder {

    /** One spooled line and where it came from. */
    record Line(String check, String target, String path, byte[] text) {}

    /**
     * Delivers {@code lines} in order and returns only when the receiver has taken all of them, as far as the protocol
     * can tell; throws when that is not certain, and the caller sends them again later.
     */
    void send(List<Line> lines) throws IOException;

    /** A short description for messages, such as {@code syslog 127.0.0.1:514}; never a secret. */
    String describe();
}
