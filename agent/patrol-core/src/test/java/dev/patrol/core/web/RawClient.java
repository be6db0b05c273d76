package dev.patrol.core.web;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A bare HTTP/1.1 client over one loopback socket, for what {@code java.net.http} hides: trickling a request head,
 * reusing one connection on purpose, and noticing when the server closes it.
 */
final class RawClient implements AutoCloseable {
    /** A response with a Content-Length body (all of Patrol's uncompressed responses have one). */
    record RawResponse(int status, String head, String body) {}

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawClient connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        return new RawClient(socket);
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    RawResponse get(String path) throws IOException {
        send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        return readResponse();
    }

    RawResponse readResponse() throws IOException {
        String head = readHead();
        int status = Integer.parseInt(head.substring(9, 12));
        int length = -1;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        if (length < 0) {
            throw new IOException("Response without Content-Length:\n" + head);
        }
        byte[] body = in.readNBytes(length);
        return new RawResponse(status, head, new String(body, StandardCharsets.UTF_8));
    }

    /** Whether the first byte of a response arrives within {@code wait}; consumes nothing. */
    boolean responseWithin(Duration wait) throws IOException {
        int previous = socket.getSoTimeout();
        socket.setSoTimeout((int) wait.toMillis());
        try {
            in.mark(1);
            boolean arrived = in.read() >= 0;
            in.reset();
            return arrived;
        } catch (SocketTimeoutException none) {
            return false;
        } finally {
            socket.setSoTimeout(previous);
        }
    }

    /**
     * Whether the server has closed the connection: end of stream or a reset. Waits at most 50 ms for an answer, so a
     * live connection reads as open.
     */
    boolean closedByServer() throws IOException {
        int previous = socket.getSoTimeout();
        socket.setSoTimeout(50);
        try {
            in.mark(1);
            if (in.read() < 0) {
                return true;
            }
            in.reset();
            return false;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        } finally {
            socket.setSoTimeout(previous);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("Connection closed before the response head ended");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
