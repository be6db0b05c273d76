package dev.patrol.testing;

import dev.patrol.api.CheckContext;
import dev.patrol.api.HttpClientOptions;
import dev.patrol.api.SshSessions;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One run's {@link CheckContext} for tests of plugins and of the agent's pools, without the engine. Its deadline is a
 * timeout from when it is built and, as the engine does, {@link #cancelled()} completes when the deadline passes (or
 * only when the test calls {@link #cancel()}, for tests that drive cancellation themselves). HTTP clients and SSH
 * sessions come from what the test hands in; without them {@link #http} and {@link #ssh} throw, as an agent without
 * them does.
 *
 * <pre>{@code
 * try (TestCheckContext context = TestCheckContext.builder()
 *         .timeout(Duration.ofSeconds(10))
 *         .http(pool::get)
 *         .build()) {
 *     CheckResult result = check.run(target, context).toCompletableFuture().get(40, TimeUnit.SECONDS);
 * }
 * }</pre>
 *
 * <p>Thread-safe: cancellation is a future and everything else is final. {@link #close()} shuts down only the blocking
 * threads the context created itself ({@link Builder#blockingThreads}); a context without them needs no closing.
 */
public final class TestCheckContext implements CheckContext, AutoCloseable {
    private final String check;
    private final Instant deadline;
    private final Clock clock = Clock.systemUTC();
    private final CompletableFuture<Void> cancelled = new CompletableFuture<>();
    private final Function<HttpClientOptions, HttpClient> http;
    private final SshSessions ssh;
    private final Executor blocking;
    private final ExecutorService ownBlocking;
    private final Path stateDir;

    private TestCheckContext(Builder builder) {
        this.check = builder.check;
        this.deadline = clock.instant().plus(builder.timeout);
        this.http = builder.http;
        this.ssh = builder.ssh;
        this.stateDir = builder.stateDir;
        this.ownBlocking = builder.blockingThreads > 0
                ? Executors.newFixedThreadPool(builder.blockingThreads, task -> daemon(task, builder.check))
                : null;
        this.blocking = ownBlocking != null ? ownBlocking : builder.blocking;
        if (builder.cancelAtDeadline) {
            // Completed on a pool thread, not the JDK's single delay thread, so a plugin's cleanup cannot hold it up.
            cancelled.completeAsync(
                    () -> null, CompletableFuture.delayedExecutor(builder.timeout.toNanos(), TimeUnit.NANOSECONDS));
        }
    }

    /** A context for check {@code test}, 10 s deadline, cancelled then, no HTTP or SSH, the common pool to block on. */
    public static Builder builder() {
        return new Builder();
    }

    /** A context with the defaults of {@link #builder()} but a deadline {@code timeout} away. */
    public static TestCheckContext withTimeout(Duration timeout) {
        return builder().timeout(timeout).build();
    }

    /** Does what the engine does at the deadline or on shutdown: completes {@link #cancelled()}. */
    public void cancel() {
        cancelled.complete(null);
    }

    @Override
    public String check() {
        return check;
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    /** A minimal stage, as the engine hands out, so the plugin under test cannot complete the signal itself. */
    @Override
    public CompletionStage<Void> cancelled() {
        return cancelled.minimalCompletionStage();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public System.Logger log() {
        return System.getLogger("patrol.check." + check);
    }

    @Override
    public HttpClient http(HttpClientOptions options) {
        if (http == null) {
            throw new UnsupportedOperationException("this test context offers no HTTP clients");
        }
        return http.apply(options);
    }

    @Override
    public Executor blockingExecutor() {
        return blocking;
    }

    @Override
    public SshSessions ssh() {
        if (ssh == null) {
            throw new UnsupportedOperationException("this context offers no SSH sessions");
        }
        return ssh;
    }

    @Override
    public Path stateDir() {
        if (stateDir == null) {
            throw new UnsupportedOperationException("this test context offers no state directory");
        }
        return stateDir;
    }

    /**
     * Interrupts blocking work still running on the threads this context created. A test that blocks one
     * uninterruptibly must release it too, or the thread lingers. Executors handed in stay the caller's.
     */
    @Override
    public void close() {
        if (ownBlocking != null) {
            ownBlocking.shutdownNow();
        }
    }

    private static Thread daemon(Runnable task, String check) {
        Thread thread = new Thread(task, check + "-blocking");
        thread.setDaemon(true);
        return thread;
    }

    /** Collects a context's parts; not thread-safe, build on one thread. */
    public static final class Builder {
        private String check = "test";
        private Duration timeout = Duration.ofSeconds(10);
        private boolean cancelAtDeadline = true;
        private Function<HttpClientOptions, HttpClient> http;
        private SshSessions ssh;
        private Executor blocking = ForkJoinPool.commonPool();
        private int blockingThreads;
        private Path stateDir;

        private Builder() {}

        /** The check's name; the logger is {@code patrol.check.<name>}. Default {@code test}. */
        public Builder check(String name) {
            this.check = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The deadline is {@code timeout} after {@link #build()}. Default 10 s. */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must not be negative: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Whether {@link TestCheckContext#cancelled()} completes at the deadline, as in the agent (default), or only
         * on {@link TestCheckContext#cancel()}, for tests that must not race a timer.
         */
        public Builder cancelAtDeadline(boolean cancel) {
            this.cancelAtDeadline = cancel;
            return this;
        }

        /** Where {@link TestCheckContext#http} gets its clients, typically {@code httpClientPool::get}. */
        public Builder http(Function<HttpClientOptions, HttpClient> clients) {
            this.http = Objects.requireNonNull(clients, "clients");
            return this;
        }

        /** The sessions {@link TestCheckContext#ssh()} returns; {@code null} (the default) for none. */
        public Builder ssh(SshSessions sessions) {
            this.ssh = sessions;
            return this;
        }

        /** Blocking work goes to {@code executor}, which stays the caller's to shut down. Default: the common pool. */
        public Builder blockingExecutor(Executor executor) {
            this.blocking = Objects.requireNonNull(executor, "executor");
            this.blockingThreads = 0;
            return this;
        }

        /** Blocking work goes to {@code threads} daemon threads of the context's own, which it closes. */
        public Builder blockingThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1: " + threads);
            }
            this.blockingThreads = threads;
            return this;
        }

        /** The directory {@link TestCheckContext#stateDir()} returns; none (the default) makes it throw. */
        public Builder stateDir(Path dir) {
            this.stateDir = dir;
            return this;
        }

        public TestCheckContext build() {
            return new TestCheckContext(this);
        }
    }
}
