package dev.patrol.plugin.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 peer that answers every request with whatever bytes it is given, then holds the connection
 * until the client closes it: a misbehaving server that never hangs up, so every socket the client forgets stays
 * ESTABLISHED and is counted by {@link #openConnections()}.
 *
 * <p>Thread-safe; a thread per connection (tests open a few dozen at most). {@link #close()} closes everything.
 */
final class RawHttpServer implements AutoCloseable {
    /** What to send once a request head has arrived. */
    interface Responder {
        void respond(OutputStream out) throws IOException;
    }

    private final ServerSocket listener;
    private final Responder responder;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();

    private RawHttpServer(ServerSocket listener, Responder responder) {
        this.listener = listener;
        this.responder = responder;
        Thread acceptor = new Thread(this::acceptLoop, "raw-http-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static RawHttpServer start(Responder responder) {
        try {
            return new RawHttpServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), responder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return listener.getLocalPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** Connections accepted and not yet closed by the client. */
    int openConnections() {
        return open.size();
    }

    int acceptedCount() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                accepted.incrementAndGet();
                open.add(socket);
                Thread serve = new Thread(() -> serve(socket), "raw-http-conn");
                serve.setDaemon(true);
                serve.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            // Answer each request head; a client that reuses the connection gets the same answer again.
            while (readHead(in)) {
                responder.respond(out);
                out.flush();
            }
        } catch (IOException e) {
            // The client closed or reset the connection: exactly what the tests wait for.
        } finally {
            open.remove(socket);
        }
    }

    /** Reads up to the blank line ending a request head; false at end of stream. */
    private static boolean readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}
