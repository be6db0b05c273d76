package dev.patrol.core.action;

import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import dev.patrol.api.SshSessions;
import dev.patrol.api.Target;
import dev.patrol.core.config.ActionSettings;
import dev.patrol.transport.DaemonThreads;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs what an action does, once its guardrails admitted it: a command over the agent's pooled SSH connection to
 * the target, a local process (argv-style, or {@code /bin/sh -c} when the action asks for a shell), or an HTTP
 * request. Each completes with an {@link Execution} and never exceptionally.
 *
 * <p>Thread-safe.
 */
final class ActionRunner implements AutoCloseable {
    private static final int SSH_OUTPUT = 4 * 1024;

    private final SshSessions ssh;
    private final Clock clock;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("patrol-action-timer"));
    /** Local processes are waited for here; the guard's max-concurrent bounds how many at once. */
    private final ExecutorService local = Executors.newCachedThreadPool(DaemonThreads.named("patrol-action-local"));

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    ActionRunner(SshSessions ssh, Clock clock) {
        this.ssh = ssh;
        this.clock = clock;
    }

    CompletableFuture<Execution> ssh(ActionSettings action, Target target, String command) {
        long start = System.nanoTime();
        ActionContext context = new ActionContext(action.name(), action.timeout(), clock, ssh, timer);
        return ssh.exec(target, command, SSH_OUTPUT, context)
                .toCompletableFuture()
                .handle((result, error) -> {
                    Duration took = since(start);
                    if (error == null) {
                        String output = result.stdout() + result.stderr();
                        return new Execution(
                                result.exitStatus() == 0 ? RunResult.SUCCESS : RunResult.FAILURE,
                                result.exitStatus(),
                                output,
                                took);
                    }
                    Throwable cause =
                            error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    boolean timeout = cause instanceof SshFailure failure && failure.reason() == Reason.TIMEOUT;
                    return new Execution(
                            timeout ? RunResult.TIMEOUT : RunResult.FAILURE,
                            -1,
                            String.valueOf(cause.getMessage()),
                            took);
                });
    }

    CompletableFuture<Execution> local(ActionSettings action, List<String> argv) {
        return CompletableFuture.supplyAsync(() -> runProcess(action, argv), local);
    }

    private Execution runProcess(ActionSettings action, List<String> argv) {
        long start = System.nanoTime();
        Path output = null;
        try {
            output = Files.createTempFile("patrol-action-", ".out");
            Process process = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            boolean finished = process.waitFor(action.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return new Execution(RunResult.TIMEOUT, -1, head(output), since(start));
            }
            int exit = process.exitValue();
            return new Execution(exit == 0 ? RunResult.SUCCESS : RunResult.FAILURE, exit, head(output), since(start));
        } catch (IOException e) {
            return new Execution(RunResult.FAILURE, -1, "cannot run: " + e.getMessage(), since(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Execution(RunResult.FAILURE, -1, "interrupted", since(start));
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    CompletableFuture<Execution> http(ActionSettings action, String url) {
        long start = System.nanoTime();
        ActionSettings.Http settings = action.http();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(action.timeout())
                .method(settings.method(), HttpRequest.BodyPublishers.noBody());
        settings.headers().forEach(request::header);
        if (settings.bearerToken() != null) {
            request.header("Authorization", "Bearer " + settings.bearerToken().reveal());
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> {
                    if (error == null) {
                        int code = response.statusCode();
                        return new Execution(
                                code / 100 == 2 ? RunResult.SUCCESS : RunResult.FAILURE,
                                code,
                                response.body(),
                                since(start));
                    }
                    Throwable cause = error.getCause() != null ? error.getCause() : error;
                    return new Execution(
                            cause instanceof HttpTimeoutException ? RunResult.TIMEOUT : RunResult.FAILURE,
                            -1,
                            cause.toString(),
                            since(start));
                });
    }

    private static String head(Path output) throws IOException {
        byte[] bytes;
        try (var in = Files.newInputStream(output)) {
            bytes = in.readNBytes(Execution.MAX_OUTPUT);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        local.shutdownNow();
    }
}
