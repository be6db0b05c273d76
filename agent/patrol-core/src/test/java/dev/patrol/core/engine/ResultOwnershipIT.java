package dev.patrol.core.engine;

import static dev.patrol.core.engine.EngineFixtures.LIMITS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import dev.patrol.core.config.CheckSettings;
import dev.patrol.core.metrics.AgentMetrics;
import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.ResultStore;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.state.SeriesState;
import dev.patrol.core.state.SkipReason;
import dev.patrol.testing.BlackHoleServer;
import dev.patrol.testing.Closing;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import dev.patrol.testing.TestSettings;
import dev.patrol.transport.ssh.SshMetrics;
import dev.patrol.transport.ssh.SshSessionPool;
import dev.patrol.transport.ssh.SshSettings;
import dev.patrol.transport.ssh.SshSettingsByTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The result ownership rule against the real OpenSSH server: a run that runs out of time in the agent's own
 * handshake queue is an {@code agent_busy} skip, not the target's timeout; runs cut short by the agent stopping are
 * not recorded at all. Neither logs a state change nor tells the observer (where actions start).
 */
class ResultOwnershipIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    static OpenSshServer sshd;
    static Path knownHosts;

    SshSessionPool pool;
    CheckEngine engine;
    final ResultStore store = new ResultStore();
    final AtomicInteger observed = new AtomicInteger();
    final ListAppender<ILoggingEvent> stateLines = new ListAppender<>();
    final Logger stateLogger = (Logger) LoggerFactory.getLogger("patrol.state");

    @BeforeAll
    static void startSshd() {
        sshd = OpenSshServer.create(dir.resolve("sshd")).start();
        knownHosts = SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of(sshd.knownHostsLine(false)));
    }

    @AfterAll
    static void stopSshd() throws Exception {
        Closing.closeAll(sshd);
    }

    private Config global;
    private final Map<String, SshSettings> byTarget = new java.util.concurrent.ConcurrentHashMap<>();

    /** Gives {@code target} its own ssh block over the global one in the pool, as a load resolves it. */
    private Target own(Target target, Map<String, ?> ssh) {
        byTarget.put(
                target.name(),
                SshSettings.from(TestSettings.with(ConfigFactory.empty(), ssh).withFallback(global)));
        pool.update(new SshSettingsByTarget(SshSettings.from(global), byTarget));
        return target;
    }

    @BeforeEach
    void start() {
        global = TestSettings.with(
                ConfigFactory.empty(),
                Map.of("user", sshd.user(), "known-hosts", knownHosts, "identity-file", sshd.clientKey()));
        pool = new SshSessionPool(SshSettingsByTarget.of(SshSettings.from(global)), new SshMetrics());
        engine = new CheckEngine(LIMITS, null, pool, store, new AgentMetrics(() -> 0), Clock.systemUTC());
        engine.observe((check, target, run) -> observed.incrementAndGet());
        stateLines.start();
        stateLogger.addAppender(stateLines);
    }

    @AfterEach
    void stop() throws Exception {
        stateLogger.detachAppender(stateLines);
        Closing.closeAll(engine, pool);
    }

    /** Runs {@code command} over SSH the way the ssh-command plugin does: a failure to reach is CRITICAL. */
    private static CheckDefinition command(String command) {
        return (target, context) -> context.ssh()
                .exec(target, command, 1024, context)
                .handle((result, error) -> {
                    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                    if (cause instanceof SshFailure failure) {
                        return CheckResult.critical(failure.reason(), failure.getMessage());
                    }
                    return result.exitStatus() == 0
                            ? CheckResult.ok("ran")
                            : CheckResult.critical(Reason.CHECK_FAILED, "failed");
                });
    }

    private SeriesState register(CheckSettings check, Target target) {
        return store.register(
                new SeriesKey(check.name(), target.name()), "test", Map.of(), check.interval(), check.timeout());
    }

    private List<ILoggingEvent> stateChangesOf(String target) {
        return stateLines.list.stream()
                .filter(line -> line.getKeyValuePairs().stream()
                        .anyMatch(pair -> pair.key.equals("target") && target.equals(pair.value)))
                .toList();
    }

    @Test
    void aRunQueuedBehindAStuckHandshakePastItsDeadlineIsAnAgentBusySkip() throws Exception {
        pool.limitHandshakes(1);
        try (BlackHoleServer hole = BlackHoleServer.start()) {
            // The stuck target holds the only handshake slot until its own auth-timeout.
            Target stuck = own(Target.of("stuck", "127.0.0.1", hole.port()), Map.of("auth-timeout", "8s"));
            Target healthy = Target.of("healthy", sshd.host(), sshd.port());
            CheckSettings onStuck = EngineFixtures.check("uptime", command("true"), Duration.ofSeconds(2), 0, stuck);
            CheckSettings onHealthy =
                    EngineFixtures.check("uptime", command("true"), Duration.ofSeconds(2), 0, healthy);
            SeriesState stuckState = register(onStuck, stuck);
            SeriesState healthyState = register(onHealthy, healthy);

            engine.fire(onStuck, stuck);
            await().atMost(WAIT).until(() -> hole.acceptedCount() == 1);
            engine.fire(onHealthy, healthy);

            await().atMost(WAIT).until(() -> healthyState.skips(SkipReason.AGENT_BUSY) == 1);
            await().atMost(WAIT).until(() -> stuckState.runs(Outcome.TIMEOUT) == 1);
            assertThat(healthyState.last())
                    .as("no result recorded for the healthy target")
                    .isEmpty();
            assertThat(List.of(Outcome.values())).allSatisfy(outcome -> assertThat(healthyState.runs(outcome))
                    .isZero());
            assertThat(stateChangesOf("healthy")).isEmpty();
            assertThat(stateChangesOf("stuck")).hasSize(1); // the stuck target's own timeout is its own
            assertThat(observed).as("the observer heard only the stuck target").hasValue(1);

            // The queued handshake went on once the stuck one gave up: the healthy target's runs pass from then on.
            await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
                engine.fire(onHealthy, healthy); // while a run is in flight this is only an overlap skip
                return healthyState
                        .last()
                        .filter(run -> run.result().status() == Status.OK)
                        .isPresent();
            });
        }
    }

    @Test
    void aRunQueuedForAChannelPastItsDeadlineIsAnAgentBusySkip() {
        Path started = dir.resolve("holding-" + System.nanoTime());
        // One channel per connection: the long command holds it, the short check on the same target waits for it.
        Target target = own(Target.of("shared", sshd.host(), sshd.port()), Map.of("max-channels", 1));
        CheckSettings holding = EngineFixtures.check(
                "holding", command("touch " + started + "; sleep 30"), Duration.ofSeconds(40), 0, target);
        CheckSettings quick = EngineFixtures.check("quick", command("true"), Duration.ofSeconds(2), 0, target);
        register(holding, target);
        SeriesState quickState = register(quick, target);

        engine.fire(holding, target);
        await().atMost(WAIT).until(() -> Files.exists(started));
        engine.fire(quick, target);

        await().atMost(WAIT).until(() -> quickState.skips(SkipReason.AGENT_BUSY) == 1);
        assertThat(quickState.last()).isEmpty();
        assertThat(stateChangesOf("shared")).isEmpty();
        assertThat(observed).hasValue(0);
    }

    @Test
    void runsCutShortByShutdownAreNotRecorded() throws Exception {
        Path started = dir.resolve("started-" + System.nanoTime());
        Target target = Target.of("busy", sshd.host(), sshd.port());
        CheckSettings slow = EngineFixtures.check(
                "slow", command("touch " + started + "; sleep 60"), Duration.ofSeconds(45), 2, target);
        SeriesState state = register(slow, target);

        engine.fire(slow, target);
        await().atMost(WAIT).until(() -> Files.exists(started));
        engine.close();

        assertThat(engine.inFlight()).isZero();
        assertThat(state.last()).as("nothing recorded").isEmpty();
        assertThat(List.of(Outcome.values()))
                .allSatisfy(outcome -> assertThat(state.runs(outcome)).isZero());
        assertThat(stateLines.list).as("no state change logged").isEmpty();
        assertThat(observed).as("no transition, so no action").hasValue(0);
    }
}
