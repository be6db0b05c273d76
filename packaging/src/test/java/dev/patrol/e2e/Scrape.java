package dev.patrol.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/** Reads an agent's endpoint over real HTTP on loopback, as Prometheus and curl do. */
final class Scrape {
    private static final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Scrape() {}

    static String get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    static HttpResponse<String> post(int port, String path) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String metrics(int port) throws IOException, InterruptedException {
        return get(port, "/metrics");
    }

    /** The value of the one series whose line starts with {@code seriesPrefix} (name and labels), if present. */
    static OptionalDouble value(String exposition, String seriesPrefix) {
        return Arrays.stream(exposition.split("\n"))
                .filter(line -> line.startsWith(seriesPrefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst();
    }

    /** Sum of every series of {@code name} whose labels contain all of {@code labelFragments}. */
    static double sum(String exposition, String name, String... labelFragments) {
        Pattern start = Pattern.compile("^" + Pattern.quote(name) + "[{ ]");
        return Arrays.stream(exposition.split("\n"))
                .filter(line -> start.matcher(line).find())
                .filter(line -> Arrays.stream(labelFragments).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
