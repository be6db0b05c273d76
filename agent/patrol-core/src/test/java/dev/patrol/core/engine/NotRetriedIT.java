package dev.patrol.core.engine;

import static dev.patrol.core.engine.EngineFixtures.LIMITS;
import static dev.patrol.core.engine.EngineFixtures.check;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import dev.patrol.api.Target;
import dev.patrol.core.metrics.AgentMetrics;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.RunRecord;
import dev.patrol.testing.Closing;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import dev.patrol.testing.TestSettings;
import dev.patrol.transport.ssh.SshMetrics;
import dev.patrol.transport.ssh.SshSessionPool;
import dev.patrol.transport.ssh.SshSettings;
import dev.patrol.transport.ssh.SshSettingsByTarget;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the real OpenSSH server: a refused login and an unknown host key end the run after one attempt although
 * the check allows retries, because a retry seconds later cannot succeed.
 */
class NotRetriedIT {
    private static final int RETRIES = 3;

    @TempDir
    static Path dir;

    static OpenSshServer sshd;
    static SshSessionPool pool;
    static Config global;
    static CheckEngine engine;

    @BeforeAll
    static void start() {
        sshd = OpenSshServer.create(dir.resolve("sshd")).start();
        Path knownHosts = SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of(sshd.knownHostsLine(false)));
        global = TestSettings.with(
                ConfigFactory.empty(),
                Map.of("user", sshd.user(), "known-hosts", knownHosts, "identity-file", sshd.clientKey()));
        pool = new SshSessionPool(SshSettingsByTarget.of(SshSettings.from(global)), new SshMetrics());
        engine = new CheckEngine(LIMITS, null, pool, new ResultStore(), new AgentMetrics(() -> 0), Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        Closing.closeAll(engine, pool, sshd);
    }

    /** Runs {@code true} over SSH with {@code ssh} overrides, counting attempts; returns the run. */
    private static RunRecord run(String name, Map<String, ?> ssh, AtomicInteger attempts) throws Exception {
        Target target = Target.of(name, sshd.host(), sshd.port());
        SshSettings own =
                SshSettings.from(TestSettings.with(ConfigFactory.empty(), ssh).withFallback(global));
        pool.update(new SshSettingsByTarget(SshSettings.from(global), Map.of(name, own)));
        CheckDefinition login = (t, context) -> {
            attempts.incrementAndGet();
            return context.ssh().exec(t, "true", 1024, context).handle((result, error) -> {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                return cause instanceof SshFailure failure
                        ? CheckResult.critical(failure.reason(), failure.getMessage())
                        : CheckResult.ok("logged in");
            });
        };
        return engine.run(check(name, login, Duration.ofSeconds(20), RETRIES, target), target)
                .get(60, TimeUnit.SECONDS);
    }

    @Test
    void theSameCommandLogsInWithTheRightKey() throws Exception {
        AtomicInteger attempts = new AtomicInteger();

        RunRecord run = run("right-key", Map.of(), attempts);

        assertThat(run.result().status().isUp()).as(run.result().summary()).isTrue();
    }

    @Test
    void aRefusedLoginIsNotRetried() throws Exception {
        Path stranger = SshKeys.generate(dir.resolve("id_stranger"), "ed25519", "");
        AtomicInteger attempts = new AtomicInteger();

        RunRecord run = run("stranger", Map.of("identity-file", stranger), attempts);

        assertThat(run.result().reason()).as(run.result().summary()).isEqualTo(Reason.AUTH_FAILED);
        assertThat(run.attempts()).isEqualTo(1);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void anUnknownHostKeyIsNotRetried() throws Exception {
        Path empty = SshKeys.writeKnownHosts(dir.resolve("empty_known_hosts"), List.of());
        AtomicInteger attempts = new AtomicInteger();

        RunRecord run = run("unknown-host", Map.of("known-hosts", empty), attempts);

        assertThat(run.result().reason()).as(run.result().summary()).isEqualTo(Reason.HOST_KEY_UNKNOWN);
        assertThat(run.attempts()).isEqualTo(1);
        assertThat(attempts).hasValue(1);
    }
}
