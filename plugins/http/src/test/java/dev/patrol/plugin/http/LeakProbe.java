package dev.patrol.plugin.http;

import dev.patrol.api.HttpClientOptions;
import dev.patrol.testing.transport.TestTransports;
import dev.patrol.transport.http.HttpClientPool;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Run in a JVM of its own by {@link UnopenedJdkIT}: sends {@code args[1]} requests to {@code args[0]} through the
 * agent's pool, one at a time as a check's runs are, prints "sent", then stays alive (holding whatever connections
 * it still has) until its standard input closes.
 */
final class LeakProbe {
    private LeakProbe() {}

    public static void main(String[] args) throws Exception {
        HttpClientPool pool = TestTransports.httpClients(1);
        int runs = Integer.parseInt(args[1]);
        for (int i = 0; i < runs; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(args[0])).build();
            try {
                pool.get(HttpClientOptions.defaults())
                        .sendAsync(request, HttpResponse.BodyHandlers.discarding())
                        .join();
            } catch (RuntimeException expected) {
                // Each run fails: the head is too large.
            }
        }
        System.out.println("sent " + runs);
        System.out.flush();
        while (System.in.read() >= 0) {
            // Held open until the test is done counting.
        }
        pool.close();
    }
}
