package dev.patrol.core.ssh;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.patrol.api.CheckContext;
import dev.patrol.api.HttpClientOptions;
import dev.patrol.api.Target;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/** Settings, targets and run contexts for the SSH pool's tests. */
final class SshTesting {

    private SshTesting() {}

    /** The {@code patrol.ssh} defaults from core's reference.conf. */
    static Config defaults() {
        return ConfigFactory.defaultReference().getConfig("patrol.ssh");
    }

    /** The defaults with {@code overrides} on top, e.g. {@code Map.of("user", "root")}. */
    static Config ssh(Map<String, ?> overrides) {
        Config config = defaults();
        for (Map.Entry<String, ?> entry : overrides.entrySet()) {
            Object value = entry.getValue() instanceof Path path ? path.toString() : entry.getValue();
            config = config.withValue(entry.getKey(), ConfigValueFactory.fromAnyRef(value));
        }
        return config;
    }

    static Target target(String name, String host, int port) {
        return Target.of(name, host, port);
    }

    /** A target with its own {@code ssh} block. */
    static Target target(String name, String host, int port, Map<String, ?> ssh) {
        Config own = ConfigFactory.empty();
        for (Map.Entry<String, ?> entry : ssh.entrySet()) {
            Object value = entry.getValue() instanceof Path path ? path.toString() : entry.getValue();
            own = own.withValue("ssh." + entry.getKey(), ConfigValueFactory.fromAnyRef(value));
        }
        return new Target(name, host, port, Map.of(), own);
    }

    /** A run whose deadline is {@code timeout} from now; {@link CheckContext#cancelled()} completes then. */
    static Run run(Duration timeout) {
        return new Run(timeout);
    }

    static final class Run implements CheckContext {
        private final Instant deadline;
        private final CompletableFuture<Void> cancelled = new CompletableFuture<>();

        Run(Duration timeout) {
            this.deadline = Instant.now().plus(timeout);
            cancelled.completeAsync(
                    () -> null, CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
        }

        @Override
        public String check() {
            return "ssh-test";
        }

        @Override
        public Instant deadline() {
            return deadline;
        }

        @Override
        public CompletionStage<Void> cancelled() {
            return cancelled;
        }

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }

        @Override
        public System.Logger log() {
            return System.getLogger("patrol.check.ssh-test");
        }

        @Override
        public HttpClient http(HttpClientOptions options) {
            throw new UnsupportedOperationException("no HTTP in SSH tests");
        }

        @Override
        public Executor blockingExecutor() {
            return ForkJoinPool.commonPool();
        }
    }
}
