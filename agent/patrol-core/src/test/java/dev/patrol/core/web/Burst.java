package dev.patrol.core.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Opens {@code count} loopback connections at once, sends one {@code GET path} with {@code Connection: close} on each
 * as soon as it connects, and reads each until the server closes it: what a burst of scrapers or a flood does. One
 * thread and one selector, so every connection really is open at the same time. Bounded by a deadline: what has not
 * finished by then counts as unfinished.
 */
final class Burst {
    /** How each connection ended: the status code of its answer, "no answer", or "unfinished". */
    record Outcome(Map<String, Integer> counts) {
        int answered(int status) {
            return counts.getOrDefault(String.valueOf(status), 0);
        }

        int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private static final class Exchange {
        final SocketChannel channel;
        final StringBuilder received = new StringBuilder();
        ByteBuffer request;
        String ending;

        Exchange(SocketChannel channel, ByteBuffer request) {
            this.channel = channel;
            this.request = request;
        }
    }

    private Burst() {}

    static Outcome run(int port, String path, int count, Duration deadline) throws IOException {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        List<Exchange> exchanges = new ArrayList<>();
        long end = System.nanoTime() + deadline.toNanos();
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                Exchange exchange = new Exchange(channel, ByteBuffer.wrap(request));
                exchanges.add(exchange);
                channel.connect(new InetSocketAddress("127.0.0.1", port));
                channel.register(selector, SelectionKey.OP_CONNECT, exchange);
            }
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            int open = count;
            while (open > 0 && System.nanoTime() < end) {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (step(key, (Exchange) key.attachment(), buffer)) {
                        open--;
                    }
                }
                selector.selectedKeys().clear();
            }
        } finally {
            for (Exchange exchange : exchanges) {
                exchange.channel.close();
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (Exchange exchange : exchanges) {
            counts.merge(exchange.ending == null ? "unfinished" : exchange.ending, 1, Integer::sum);
        }
        return new Outcome(counts);
    }

    /** Advances one exchange; true when it has ended. */
    private static boolean step(SelectionKey key, Exchange exchange, ByteBuffer buffer) {
        try {
            if (key.isConnectable()) {
                exchange.channel.finishConnect();
                key.interestOps(SelectionKey.OP_WRITE);
                return false;
            }
            if (key.isWritable()) {
                exchange.channel.write(exchange.request);
                if (!exchange.request.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
                return false;
            }
            buffer.clear();
            int read = exchange.channel.read(buffer);
            if (read > 0) {
                if (exchange.received.length() < 16) {
                    exchange.received.append(new String(buffer.array(), 0, read, StandardCharsets.ISO_8859_1));
                }
                return false;
            }
            if (read < 0) {
                return finish(key, exchange);
            }
            return false;
        } catch (IOException e) {
            return finish(key, exchange);
        }
    }

    private static boolean finish(SelectionKey key, Exchange exchange) {
        key.cancel();
        // Close at once, as a real client does: a half-closed connection counts against the server's limit until its
        // idle timeout.
        try {
            exchange.channel.close();
        } catch (IOException e) {
            // Closing is all that was left to do.
        }
        String head = exchange.received.toString();
        exchange.ending = head.startsWith("HTTP/1.1 ") && head.length() >= 12 ? head.substring(9, 12) : "no answer";
        return true;
    }
}
