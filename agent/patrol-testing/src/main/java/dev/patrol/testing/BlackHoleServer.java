package dev.patrol.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback listener that accepts connections and then never answers: the peer that makes a client hang until its
 * own deadline. It does not read what clients send while they are connected, so it looks exactly like a stuck server.
 *
 * <pre>{@code
 * try (BlackHoleServer hole = BlackHoleServer.start()) {
 *     runCheck("http://127.0.0.1:" + hole.port() + "/");      // times out
 *     await().until(() -> hole.openConnections() == 0);        // and the client let go of its socket
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} closes the listener and every accepted socket.
 */
public final class BlackHoleServer implements AutoCloseable {
    private final ServerSocket listener;
    private final Thread acceptor;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> sockets = new ArrayList<>();

    private BlackHoleServer(ServerSocket listener) {
        this.listener = listener;
        this.acceptor = new Thread(this::acceptLoop, "black-hole-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on 127.0.0.1 at a free ephemeral port. */
    public static BlackHoleServer start() {
        try {
            return new BlackHoleServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** How many connections were accepted so far. */
    public int acceptedCount() {
        return accepted.get();
    }

    /**
     * How many accepted connections the client still holds open. To tell, this peeks at each socket: it discards
     * whatever the client sent and looks for end-of-stream or a reset, which is how a closed peer shows.
     */
    public int openConnections() {
        int open = 0;
        synchronized (sockets) {
            for (Socket socket : sockets) {
                if (!socket.isClosed() && !peerClosed(socket)) {
                    open++;
                }
            }
        }
        return open;
    }

    private static boolean peerClosed(Socket socket) {
        try {
            socket.setSoTimeout(1);
            InputStream in = socket.getInputStream();
            byte[] discard = new byte[8192];
            // Bounded: a client cannot send more than a few requests' worth before we see a timeout.
            for (int i = 0; i < 1024; i++) {
                if (in.read(discard) < 0) {
                    socket.close();
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            closeQuietly(socket);
            return true;
        } catch (IOException e) {
            closeQuietly(socket);
            return true;
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                synchronized (sockets) {
                    sockets.add(socket);
                }
                accepted.incrementAndGet();
            } catch (IOException e) {
                return; // the listener was closed
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        synchronized (sockets) {
            sockets.forEach(BlackHoleServer::closeQuietly);
            sockets.clear();
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing a test peer: nothing useful to do with the failure.
        }
    }
}
