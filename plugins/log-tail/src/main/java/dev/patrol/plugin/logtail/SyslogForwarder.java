package dev.patrol.plugin.logtail;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Syslog over TCP: each line an RFC 5424 message (facility user, severity info) with {@code check}, {@code target}
 * and {@code path} as structured data, framed by RFC 6587 octet counting. One connection per batch: after the last
 * message the agent half-closes and waits for the receiver to close in turn, which a receiver such as rsyslog does
 * only after reading everything sent; only then is the batch taken as delivered. Plain TCP syslog has no
 * acknowledgement, so this is the closest to "received" it gets: a receiver that crashes after reading but before
 * writing can still lose a batch, and a batch cut off mid-way is sent again whole (counted as resent).
 *
 * <p>With {@link SyslogTls} the same framing goes over TLS (RFC 5425): the handshake, certificate and name checks
 * included, completes before the first message is written, so a receiver that fails them never sees a line; the
 * half-close is TLS's close_notify. A receiver that refuses the agent after the handshake (rsyslog checks a client
 * certificate only then) closes at once, and a small batch could be written before that close arrives and taken
 * for delivered; so until a receiver has accepted this forwarder's TLS settings once, the first connection waits a
 * moment after the handshake ({@link SyslogTls#awaitAcceptance}) before writing a line.
 *
 * <p>Thread-safe: it keeps no connection between calls.
 */
final class SyslogForwarder implements LogForwarder {
    private static final String SD_ID = "patrol@32473";

    private final String host;
    private final int port;
    private final String appName;
    private final String hostname;
    private final Duration timeout;
    private final Clock clock;
    private final SyslogTls tls;
    private volatile boolean accepted;

    /** @param accepted whether the receiver is known to have accepted these TLS settings, on an earlier run */
    SyslogForwarder(
            String host,
            int port,
            String appName,
            String hostname,
            Duration timeout,
            Clock clock,
            SyslogTls tls,
            boolean accepted) {
        this.host = host;
        this.port = port;
        this.appName = appName;
        this.hostname = hostname;
        this.timeout = timeout;
        this.clock = clock;
        this.tls = tls;
        this.accepted = accepted || tls == null;
    }

    /** Whether a receiver accepted this forwarder's TLS connection (always, for plain TCP). */
    boolean accepted() {
        return accepted;
    }

    @Override
    public void send(List<Line> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        try (Socket plain = new Socket();
                Socket socket = connect(plain)) {
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            String stamp = DateTimeFormatter.ISO_INSTANT.format(clock.instant());
            for (Line line : lines) {
                byte[] message = message(line, stamp);
                out.write((message.length + " ").getBytes(StandardCharsets.US_ASCII));
                out.write(message);
            }
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // The receiver says nothing on this channel; its close is the signal.
            }
        }
    }

    /** The connected socket to write to: {@code plain} itself, or TLS over it once its handshake passed. */
    private Socket connect(Socket plain) throws IOException {
        plain.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
        plain.setSoTimeout((int) timeout.toMillis());
        if (tls == null) {
            return plain;
        }
        Socket secure = tls.handshake(plain, port);
        if (!accepted) {
            tls.awaitAcceptance(secure, (int) timeout.toMillis());
            accepted = true;
        }
        return secure;
    }

    byte[] message(Line line, String stamp) {
        String head = "<14>1 " + stamp + " " + field(hostname) + " " + field(appName) + " - - [" + SD_ID + " check=\""
                + sdValue(line.check()) + "\" target=\"" + sdValue(line.target()) + "\" path=\""
                + sdValue(line.path()) + "\"] ";
        byte[] start = head.getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[start.length + line.text().length];
        System.arraycopy(start, 0, message, 0, start.length);
        System.arraycopy(line.text(), 0, message, start.length, line.text().length);
        return message;
    }

    /** RFC 5424 header fields: printable US-ASCII without spaces, at most 48 characters, "-" when empty. */
    private static String field(String value) {
        String cleaned = value == null ? "" : value.replaceAll("[^\\x21-\\x7e]", "_");
        if (cleaned.isEmpty()) {
            return "-";
        }
        return cleaned.length() > 48 ? cleaned.substring(0, 48) : cleaned;
    }

    /** RFC 5424 6.3.3: '"', '\' and ']' are escaped with a backslash in a parameter value. */
    private static String sdValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("]", "\\]");
    }

    @Override
    public String describe() {
        return "syslog " + host + ":" + port + (tls == null ? "" : " over TLS");
    }
}
