package dev.patrol.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on loopback for the servers tests start. */
public final class TestPorts {
    private TestPorts() {}

    /**
     * A port that was free on 127.0.0.1 a moment ago. Another process could take it before the caller binds it; for a
     * server the test itself starts right away, that window is accepted practice.
     */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
