package dev.patrol.core.web;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes Patrol's few paths. Read-only paths answer GET and HEAD, {@code /-/reload} and {@code /-/jobs/<name>/run}
 * answer POST; any other method is a 405 with {@code Allow}, any other path a 404.
 *
 * <p>It is a blocking handler (Jetty's default invocation type), so Jetty always runs it on a pool thread and never
 * on a selector: a slow scrape or reload cannot stall I/O for other connections.
 *
 * <p>Thread-safe.
 */
final class WebHandler extends Handler.Abstract {
    private static final Logger logger = LoggerFactory.getLogger(WebHandler.class);
    static final String TEXT = "text/plain; charset=utf-8";
    private static final String JOBS = "/-/jobs/";
    private static final String RUN = "/run";

    private final MetricsEndpoint metrics;
    private final StatusPage statusPage;
    private final BooleanSupplier ready;
    private final Supplier<ReloadResult> reload;
    private final JobTrigger jobs;

    WebHandler(
            MetricsEndpoint metrics,
            StatusPage statusPage,
            BooleanSupplier ready,
            Supplier<ReloadResult> reload,
            JobTrigger jobs) {
        this.metrics = metrics;
        this.statusPage = statusPage;
        this.ready = ready;
        this.reload = reload;
        this.jobs = jobs;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        switch (path) {
            case "/metrics" -> {
                if (readOnly(request, response, callback)) {
                    metrics.handle(request, response, callback);
                }
            }
            case "/-/healthy" -> {
                if (readOnly(request, response, callback)) {
                    write(response, callback, HttpStatus.OK_200, TEXT, "Healthy\n");
                }
            }
            case "/-/ready" -> {
                if (readOnly(request, response, callback)) {
                    boolean isReady = ready.getAsBoolean();
                    write(response, callback, isReady ? 200 : 503, TEXT, isReady ? "Ready\n" : "Not ready\n");
                }
            }
            case "/-/reload" -> {
                if (allow(request, response, callback, true)) {
                    reload(response, callback);
                }
            }
            case "/" -> {
                if (readOnly(request, response, callback)) {
                    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                    write(response, callback, HttpStatus.OK_200, StatusPage.CONTENT_TYPE, statusPage.render());
                }
            }
            default -> {
                String job = jobName(path);
                if (job == null) {
                    write(response, callback, HttpStatus.NOT_FOUND_404, TEXT, "Not found\n");
                } else if (allow(request, response, callback, true)) {
                    runJob(job, response, callback);
                }
            }
        }
        return true;
    }

    /** The job in {@code /-/jobs/<name>/run}, or {@code null} for any other path. */
    static String jobName(String path) {
        if (!path.startsWith(JOBS) || !path.endsWith(RUN) || path.length() <= JOBS.length() + RUN.length()) {
            return null;
        }
        String name = path.substring(JOBS.length(), path.length() - RUN.length());
        return name.contains("/") ? null : name;
    }

    private void runJob(String job, Response response, Callback callback) {
        JobTrigger.Outcome outcome;
        try {
            outcome = jobs.start(job);
        } catch (RuntimeException e) {
            logger.atError().addKeyValue("job", job).setCause(e).log("Starting a job run failed unexpectedly");
            write(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, TEXT, "Starting the job failed\n");
            return;
        }
        // The name is echoed only when it is a configured job's: never reflect arbitrary request text.
        switch (outcome) {
            case STARTED -> write(response, callback, HttpStatus.ACCEPTED_202, TEXT, "Started job " + job + "\n");
            case RUNNING -> write(
                    response, callback, HttpStatus.CONFLICT_409, TEXT, "Job " + job + " is already running\n");
            case UNKNOWN -> write(response, callback, HttpStatus.NOT_FOUND_404, TEXT, "No such job\n");
        }
    }

    private void reload(Response response, Callback callback) {
        ReloadResult result;
        try {
            result = reload.get();
        } catch (RuntimeException e) {
            logger.error("Reload failed unexpectedly", e);
            result = ReloadResult.failed(List.of("Reload failed: " + e));
        }
        String body = String.join("\n", result.messages()) + "\n";
        write(response, callback, result.success() ? 200 : 500, TEXT, body);
    }

    private static boolean readOnly(Request request, Response response, Callback callback) {
        return allow(request, response, callback, false);
    }

    /** Writes a 405 and returns false unless the method is POST (for {@code post}) or else GET or HEAD. */
    private static boolean allow(Request request, Response response, Callback callback, boolean post) {
        String method = request.getMethod();
        boolean permitted = post ? HttpMethod.POST.is(method) : HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method);
        if (!permitted) {
            response.getHeaders().put(HttpHeader.ALLOW, post ? "POST" : "GET, HEAD");
            write(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, TEXT, "Method not allowed\n");
        }
        return permitted;
    }

    static void write(Response response, Callback callback, int status, String contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        Content.Sink.write(response, true, body, callback);
    }
}
