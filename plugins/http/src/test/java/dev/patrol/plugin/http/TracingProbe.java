package dev.patrol.plugin.http;

import dev.patrol.api.HttpClientOptions;
import dev.patrol.testing.transport.TestTransports;
import dev.patrol.transport.http.HttpClientPool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Run in a JVM of its own by {@link JdkTracingIT}: sends one request carrying a cookie and a query token, through the
 * agent's pool ({@code pool}) or through a bare JDK client ({@code plain}), with whatever tracing properties the JVM
 * was started with, and prints the status.
 */
final class TracingProbe {
    private TracingProbe() {}

    public static void main(String[] args) throws Exception {
        HttpClientPool pool = args[0].equals("pool") ? TestTransports.httpClients(1) : null;
        HttpClient client = pool != null ? pool.get(HttpClientOptions.defaults()) : HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(args[1]))
                .header("Cookie", "session=c00kie")
                .build();
        int status =
                client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        System.out.println("probe status " + status);
        System.exit(0);
    }
}
