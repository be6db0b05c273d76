package dev.patrol.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port where a TCP connect never completes: a listener that never accepts, its accept queue filled by
 * connections of its own, so Linux drops every further SYN and the client's connect hangs until its own timeout. It
 * stands for a host whose firewall drops packets, which a closed port (refused at once) or a {@link BlackHoleServer}
 * (connected, then silent) do not.
 *
 * <pre>{@code
 * try (UnansweredPort port = UnansweredPort.start()) {
 *     connect("127.0.0.1", port.port());   // times out at the client's connect timeout
 * }
 * }</pre>
 *
 * <p>Not thread-safe; {@link #close()} closes the listener and the connections that fill its queue.
 */
public final class UnansweredPort implements AutoCloseable {
    private static final int MAX_FILLERS = 64;

    private final ServerSocket listener;
    private final List<Socket> fillers = new ArrayList<>();

    private UnansweredPort(ServerSocket listener) {
        this.listener = listener;
    }

    /** Listens on 127.0.0.1 with a backlog of one, and connects to itself until a connect no longer completes. */
    public static UnansweredPort start() {
        UnansweredPort port = null;
        try {
            port = new UnansweredPort(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            port.fill();
            return port;
        } catch (IOException e) {
            if (port != null) {
                port.close();
            }
            throw new UncheckedIOException(e);
        }
    }

    private void fill() throws IOException {
        for (int i = 0; i < MAX_FILLERS; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()), 500);
                fillers.add(socket);
            } catch (SocketTimeoutException e) {
                socket.close();
                return; // the queue is full: SYNs are dropped from now on
            }
        }
        throw new IOException("the accept queue of port " + listener.getLocalPort() + " never filled");
    }

    public int port() {
        return listener.getLocalPort();
    }

    @Override
    public void close() {
        for (Socket socket : fillers) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a test's own socket; nothing to recover
            }
        }
        try {
            listener.close();
        } catch (IOException e) {
            // the same
        }
    }
}
