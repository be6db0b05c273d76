package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.Reason;
import dev.patrol.core.Agent;
import dev.patrol.core.config.ConfigLoader;
import dev.patrol.core.engine.Outcome;
import dev.patrol.core.engine.RunRecord;
import dev.patrol.core.state.SeriesState;
import dev.patrol.core.state.SkipReason;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet over SSH through the real agent, scheduler, session pool and ssh-command plugin against real OpenSSH
 * servers: 900 good targets, spread over three sshd instances, keep their pace when 100 more targets are black holes
 * (they accept TCP and never answer), and the agent's threads stay flat meanwhile: nothing waits on a stuck target.
 *
 * <p>The same window is measured twice, first without the black holes (the baseline) and then with them, each after a
 * warm-up in which every target has fired. 900 targets every 12 s are 75 commands a second, which sshd (about 3 CPU-ms
 * per command) sustains on a small machine. A black hole's run ends at its 2 s deadline while the pool's login attempt
 * goes on to {@code auth-timeout} (10 s), so each of them holds a connection attempt most of the time.
 *
 * <p>Every target is 127.0.0.1, so the per-host in-flight limit is lifted: it stands for a thousand hosts.
 */
class SshFleetIT {
    private static final int GOOD = 900;
    private static final int HOLES = 100;
    private static final int SERVERS = 3;
    private static final int MAX_SESSIONS = 10;
    private static final Duration INTERVAL = Duration.ofSeconds(12);
    private static final Duration WINDOW = Duration.ofSeconds(36);
    private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(60);
    private static final Duration THREAD_SAMPLE = Duration.ofMillis(250);
    private static final String COMMAND = "echo 'FLEET OK | up=1'";
    private static final Set<Outcome> OK = EnumSet.of(Outcome.OK);
    private static final Set<Outcome> NOT_OK = EnumSet.complementOf(EnumSet.of(Outcome.OK));
    /** Threads that may come and go without anything being stuck: pool workers parking and timing out. */
    private static final int THREAD_SLACK = 12;

    /** What one measured window saw. */
    private record Window(
            long goodOk,
            long goodNotOk,
            long skipped,
            IntSummaryStatistics threads,
            int threadsAtStart,
            int threadsAtEnd,
            Map<String, RunRecord> holeLast) {}

    @Test
    void blackHoledTargetsDoNotSlowTheFleet(@TempDir Path dir) throws Exception {
        try (SshFleet fleet = SshFleet.start(dir, SERVERS, MAX_SESSIONS, HOLES)) {
            Path baselineConfig = fleet.writeConfig(
                    dir.resolve("baseline.conf"), state(dir, "baseline"), GOOD, false, COMMAND, INTERVAL);
            Path holesConfig =
                    fleet.writeConfig(dir.resolve("holes.conf"), state(dir, "holes"), GOOD, true, COMMAND, INTERVAL);

            Window baseline = measure(baselineConfig, false);
            report("baseline", baseline);
            Window withHoles = measure(holesConfig, true);
            report("with " + HOLES + " black holes", withHoles);

            long expected = GOOD * WINDOW.toSeconds() / INTERVAL.toSeconds();
            assertThat(baseline.goodOk())
                    .as("baseline OK runs (about %d expected)", expected)
                    .isPositive();
            assertThat((double) withHoles.goodOk())
                    .as("good targets' OK runs beside the black holes, against the baseline")
                    .isCloseTo(baseline.goodOk(), withinPercentage(10));
            // A good run may fail when the machine stalls; a share of them failing means the holes got in the way.
            assertThat(withHoles.goodNotOk())
                    .as("good runs that were not OK beside the black holes")
                    .isLessThanOrEqualTo(baseline.goodOk() / 100);
            for (Window window : List.of(baseline, withHoles)) {
                assertThat(window.threads().getMax() - window.threads().getMin())
                        .as("JVM thread count spread during the window")
                        .isLessThanOrEqualTo(THREAD_SLACK);
                assertThat(window.threadsAtEnd() - window.threadsAtStart())
                        .as("JVM thread growth over the window")
                        .isLessThanOrEqualTo(THREAD_SLACK / 2);
            }
            assertThat(withHoles.holeLast()).hasSize(HOLES);
            assertThat(withHoles.holeLast().values())
                    .allSatisfy(run -> assertThat(run.result().reason()).isEqualTo(Reason.TIMEOUT));
            assertThat(fleet.holeConnections()).isGreaterThanOrEqualTo(HOLES);
        }
    }

    private static Window measure(Path config, boolean withHoles) throws Exception {
        try (Agent agent = Agent.start(() -> ConfigLoader.discovering().load(config))) {
            // Warm-up: every good target has run OK once and every black hole has finished a run, so the holes are
            // holding (or have failed) their connections before the window opens.
            await().atMost(WARM_UP_LIMIT).pollInterval(Duration.ofMillis(500)).until(() -> warm(agent, withHoles));
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long okBefore = goodRuns(agent, OK);
            long notOkBefore = goodRuns(agent, NOT_OK);
            long skippedBefore = skipped(agent);
            int threadsAtStart = threads.getThreadCount();
            IntSummaryStatistics counts = new IntSummaryStatistics();
            long end = System.nanoTime() + WINDOW.toNanos();
            int samples = (int) (WINDOW.toMillis() / THREAD_SAMPLE.toMillis()) + 1;
            for (int i = 0; i < samples && System.nanoTime() < end; i++) {
                counts.accept(threads.getThreadCount());
                Thread.sleep(Math.max(1, Math.min(THREAD_SAMPLE.toMillis(), (end - System.nanoTime()) / 1_000_000)));
            }
            int threadsAtEnd = threads.getThreadCount();
            counts.accept(threadsAtEnd);
            long ok = goodRuns(agent, OK) - okBefore;
            long notOk = goodRuns(agent, NOT_OK) - notOkBefore;
            Map<String, RunRecord> holeLast = agent.store().all().stream()
                    .filter(series -> series.key().target().startsWith(SshFleet.HOLE_PREFIX))
                    .filter(series -> series.last().isPresent())
                    .collect(Collectors.toMap(series -> series.key().target(), series -> series.last()
                            .orElseThrow()));
            return new Window(
                    ok, notOk, skipped(agent) - skippedBefore, counts, threadsAtStart, threadsAtEnd, holeLast);
        }
    }

    private static boolean warm(Agent agent, boolean withHoles) {
        List<SeriesState> all = agent.store().all();
        long goodReady = all.stream()
                .filter(series -> series.key().target().startsWith(SshFleet.GOOD_PREFIX))
                .filter(series -> series.runs(Outcome.OK) >= 1)
                .count();
        long holesReady = all.stream()
                .filter(series -> series.key().target().startsWith(SshFleet.HOLE_PREFIX))
                .filter(series -> series.last().isPresent())
                .count();
        return goodReady == GOOD && (!withHoles || holesReady == HOLES);
    }

    /** Runs of the good targets that ended with one of {@code outcomes}. */
    private static long goodRuns(Agent agent, Set<Outcome> outcomes) {
        return agent.store().all().stream()
                .filter(series -> series.key().target().startsWith(SshFleet.GOOD_PREFIX))
                .mapToLong(series -> outcomes.stream().mapToLong(series::runs).sum())
                .sum();
    }

    private static long skipped(Agent agent) {
        return agent.store().all().stream()
                .mapToLong(series -> series.skips(SkipReason.OVERLAP) + series.skips(SkipReason.LIMIT))
                .sum();
    }

    private static void report(String phase, Window window) {
        Map<Outcome, Long> holeOutcomes = window.holeLast().values().stream()
                .collect(Collectors.groupingBy(RunRecord::outcome, Collectors.counting()));
        System.out.printf(
                "ssh fleet, %s: %d good targets, %d OK runs (%d expected) and %d not OK in %d s; %d skipped fires;"
                        + " threads min %d max %d, start %d end %d; black holes' last outcomes %s%n",
                phase,
                GOOD,
                window.goodOk(),
                GOOD * WINDOW.toSeconds() / INTERVAL.toSeconds(),
                window.goodNotOk(),
                WINDOW.toSeconds(),
                window.skipped(),
                window.threads().getMin(),
                window.threads().getMax(),
                window.threadsAtStart(),
                window.threadsAtEnd(),
                holeOutcomes);
    }

    private static Path state(Path dir, String name) throws Exception {
        return Files.createDirectories(dir.resolve("state-" + name));
    }
}
