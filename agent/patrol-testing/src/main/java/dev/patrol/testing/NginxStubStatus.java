package dev.patrol.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nginx's connection counters from {@link NginxServer#STUB_STATUS}, with the connection this query itself uses taken
 * out of both, so that a test reads only what the client under test did.
 */
record NginxStubStatus(int active, long accepted) {
    private static final Pattern ACTIVE = Pattern.compile("Active connections: (\\d+)");
    private static final Pattern ACCEPTED = Pattern.compile("\\s(\\d+) \\d+ \\d+");

    /** Queries the server on 127.0.0.1:{@code port}. */
    static NginxStubStatus query(int port) {
        String body = fetch(port);
        return new NginxStubStatus(
                Integer.parseInt(group(ACTIVE, body)) - 1, Long.parseLong(group(ACCEPTED, body)) - 1);
    }

    private static String group(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected stub_status output: " + body);
        }
        return matcher.group(1);
    }

    private static String fetch(int port) {
        // A raw one-shot request, so that the query leaves no kept-alive connection of its own behind.
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            socket.setSoTimeout(5_000);
            String request =
                    "GET " + NginxServer.STUB_STATUS + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            int body = response.indexOf("\r\n\r\n");
            return body < 0 ? response : response.substring(body + 4);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
