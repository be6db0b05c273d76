package dev.patrol.core.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Slowloris clients on loopback: connections that send their request head one byte per {@link #tick()}, never
 * finishing it. All of them are driven from the caller's thread; none blocks.
 */
final class Tricklers implements AutoCloseable {
    private static final byte[] HEAD_START =
            "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trickle: ".getBytes(StandardCharsets.US_ASCII);

    /** One trickling connection and when it was opened. */
    private static final class Trickler {
        final SocketChannel channel;
        final long openedNanos;
        int sent;
        long closedNanos = -1;

        Trickler(SocketChannel channel) {
            this.channel = channel;
            this.openedNanos = System.nanoTime();
        }
    }

    private final int port;
    private final boolean reconnect;
    private final List<Trickler> live = new ArrayList<>();
    private final List<Trickler> closed = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(4096);

    /**
     * @param reconnect whether a connection the server closed is replaced by a new one, as a real attacker would
     */
    Tricklers(int port, int count, boolean reconnect) throws IOException {
        this.port = port;
        this.reconnect = reconnect;
        for (int i = 0; i < count; i++) {
            live.add(open());
        }
    }

    /** Sends one more byte on every live connection and notices the ones the server closed. */
    void tick() throws IOException {
        List<Trickler> replacements = new ArrayList<>();
        for (var iterator = live.iterator(); iterator.hasNext(); ) {
            Trickler trickler = iterator.next();
            if (sendOneByteOrNoticeClose(trickler)) {
                continue;
            }
            trickler.closedNanos = System.nanoTime();
            trickler.channel.close();
            iterator.remove();
            closed.add(trickler);
            if (reconnect) {
                replacements.add(open());
            }
        }
        live.addAll(replacements);
    }

    int liveCount() {
        return live.size();
    }

    int closedCount() {
        return closed.size();
    }

    /** The shortest time, in milliseconds, that any closed connection stayed open; -1 if none closed. */
    long shortestLifetimeMillis() {
        return closed.stream()
                .mapToLong(t -> (t.closedNanos - t.openedNanos) / 1_000_000)
                .min()
                .orElse(-1);
    }

    @Override
    public void close() throws IOException {
        for (Trickler trickler : live) {
            trickler.channel.close();
        }
        live.clear();
    }

    private Trickler open() throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        channel.configureBlocking(false);
        return new Trickler(channel);
    }

    /** Returns false once the server has closed or reset the connection. */
    private boolean sendOneByteOrNoticeClose(Trickler trickler) {
        try {
            readBuffer.clear();
            if (trickler.channel.read(readBuffer) < 0) {
                return false;
            }
            byte next = trickler.sent < HEAD_START.length ? HEAD_START[trickler.sent] : (byte) 'a';
            if (trickler.channel.write(ByteBuffer.wrap(new byte[] {next})) == 1) {
                trickler.sent++;
            }
            return true;
        } catch (IOException reset) {
            return false;
        }
    }
}
