package dev.patrol.core.web;

import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Predicate;
import io.prometheus.client.SampleNameFilter;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: the registry in Prometheus text format 0.0.4 or OpenMetrics 1.0.0, whichever the
 * {@code Accept} header asks for, restricted to the families named by {@code name[]} query parameters as simpleclient's
 * own HTTPServer does. Compression is left to the enclosing CompressionHandler.
 *
 * <p>Thread-safe: concurrent scrapes each collect on their own.
 */
final class MetricsEndpoint {
    private static final Logger logger = LoggerFactory.getLogger(MetricsEndpoint.class);
    private static final int INITIAL_BUFFER = 16 * 1024;

    private final CollectorRegistry registry;
    /** The size of the last full exposition, so that the next one's buffer is sized once rather than grown. */
    private volatile int lastSize = INITIAL_BUFFER;

    MetricsEndpoint(CollectorRegistry registry) {
        this.registry = registry;
    }

    void handle(Request request, Response response, Callback callback) {
        String contentType = TextFormat.chooseContentType(request.getHeaders().get(HttpHeader.ACCEPT));
        List<String> names;
        try {
            names = Request.extractQueryParameters(request).getValuesOrEmpty("name[]");
        } catch (IllegalArgumentException e) {
            // A bad %-escape is the client's mistake; Jetty would log it and answer 500.
            WebHandler.write(response, callback, 400, WebHandler.TEXT, "Bad query: " + e.getMessage() + "\n");
            return;
        }
        ByteBuffer body;
        try {
            body = render(contentType, names);
        } catch (IOException | RuntimeException e) {
            // A broken collector is an agent fault; say so plainly instead of Jetty's HTML error page.
            logger.error("Collecting metrics failed", e);
            WebHandler.write(response, callback, 500, WebHandler.TEXT, "Collecting metrics failed: " + e + "\n");
            return;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.write(true, body, callback);
    }

    /**
     * Renders the whole exposition before the first byte is sent, as simpleclient's HTTPServer does, so that a
     * collector that throws yields a 500 rather than a truncated body that Prometheus would half-ingest.
     */
    private ByteBuffer render(String contentType, List<String> names) throws IOException {
        Predicate<String> filter = SampleNameFilter.restrictToNamesEqualTo(null, names);
        Enumeration<MetricFamilySamples> families =
                filter == null ? registry.metricFamilySamples() : registry.filteredMetricFamilySamples(filter);
        if (!contentType.startsWith(TextFormat.CONTENT_TYPE_OPENMETRICS_100)) {
            families = withoutCreatedSeries(families);
        }
        // A little over the last size: a scrape that grew by a few series still fits without a copy.
        Utf8Buffer buffer = new Utf8Buffer(names.isEmpty() ? lastSize + lastSize / 8 : INITIAL_BUFFER);
        TextFormat.writeFormat(contentType, buffer, families);
        if (names.isEmpty()) {
            lastSize = Math.max(INITIAL_BUFFER, buffer.size());
        }
        return buffer.bytes();
    }

    /**
     * Drops the {@code _created} series of counters, histograms and summaries from the Prometheus text format.
     * OpenMetrics has a place for them; in text 0.0.4 simpleclient writes each as an extra gauge family, doubling
     * the series count of every counter for a value Prometheus does not use.
     */
    static Enumeration<MetricFamilySamples> withoutCreatedSeries(Enumeration<MetricFamilySamples> families) {
        List<MetricFamilySamples> kept = new ArrayList<>();
        while (families.hasMoreElements()) {
            MetricFamilySamples family = families.nextElement();
            if (family.type == Collector.Type.COUNTER
                    || family.type == Collector.Type.HISTOGRAM
                    || family.type == Collector.Type.SUMMARY) {
                String created = family.name + "_created";
                List<MetricFamilySamples.Sample> samples = family.samples.stream()
                        .filter(sample -> !sample.name.equals(created))
                        .toList();
                family = new MetricFamilySamples(family.name, family.unit, family.type, family.help, samples);
            }
            kept.add(family);
        }
        return Collections.enumeration(kept);
    }
}
