package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.Reason;
import dev.patrol.core.Agent;
import dev.patrol.core.config.ConfigLoader;
import dev.patrol.core.state.Outcome;
import dev.patrol.core.state.RunRecord;
import dev.patrol.core.state.SeriesState;
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
 * servers: good targets spread over three sshd instances keep running OK while black holes (they accept TCP and never
 * answer) sit beside them, and the agent's threads stay flat meanwhile: nothing waits on a stuck target.
 *
 * <p>The shape is deliberately moderate (60 good targets every 6 s, 20 holes): this test proves isolation, not
 * capacity, and must pass on a busy 2-core CI machine. Nothing here compares timings: every wait is a condition with a
 * generous bound, and the assertions count outcomes. The fleet-scale version of the same test (900 + 100 targets) is
 * {@code bench/ssh-fleet.sh}, which sets the {@code fleet.*} system properties read below.
 *
 * <p>Every target is 127.0.0.1, so the per-host in-flight limit is lifted: it stands for many hosts.
 */
class SshFleetIT {
    private static final int GOOD = Integer.getInteger("fleet.good", 60);
    private static final int HOLES = Integer.getInteger("fleet.holes", 20);
    private static final int SERVERS = 3;
    private static final int MAX_SESSIONS = 10;
    private static final Duration INTERVAL = Duration.ofSeconds(Long.getLong("fleet.interval-seconds", 6));
    /** Runs every good target must complete OK beside the holes: several full intervals, not a rate. */
    private static final int RUNS_PER_TARGET = Integer.getInteger("fleet.runs-per-target", 3);
    /** Generous on purpose: a busy machine may be slow; only a stuck fleet never gets there. */
    private static final Duration LIMIT = Duration.ofSeconds(Long.getLong("fleet.limit-seconds", 300));

    private static final String COMMAND = "echo 'FLEET OK | up=1'";
    private static final Set<Outcome> NOT_OK = EnumSet.complementOf(EnumSet.of(Outcome.OK));
    /** Threads that may come and go without anything being stuck: pool workers parking and timing out. */
    private static final int THREAD_SLACK = 16;

    @Test
    void blackHoledTargetsDoNotStallTheFleet(@TempDir Path dir) throws Exception {
        try (SshFleet fleet = SshFleet.start(dir, SERVERS, MAX_SESSIONS, HOLES)) {
            Path config = fleet.writeConfig(
                    dir.resolve("holes.conf"), Files.createDirectories(dir.resolve("state")), GOOD, COMMAND, INTERVAL);
            try (Agent agent = Agent.start(() -> ConfigLoader.discovering().load(config))) {
                // Warm-up: every good target has run OK once and every black hole has ended a run, so the holes hold
                // (or have failed) their connections before anything is counted.
                await().atMost(LIMIT).pollInterval(Duration.ofMillis(500)).until(() -> warm(agent));
                Map<String, Long> okAtStart = goodOkRuns(agent);
                long notOkAtStart = goodRuns(agent, NOT_OK);
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                int threadsAtStart = threads.getThreadCount();
                IntSummaryStatistics counts = new IntSummaryStatistics();

                // Every good target completes several more OK runs while the holes keep failing beside it.
                await().atMost(LIMIT).pollInterval(Duration.ofMillis(500)).until(() -> {
                    counts.accept(threads.getThreadCount());
                    Map<String, Long> now = goodOkRuns(agent);
                    return now.entrySet().stream()
                            .allMatch(e -> e.getValue() - okAtStart.getOrDefault(e.getKey(), 0L) >= RUNS_PER_TARGET);
                });
                int threadsAtEnd = threads.getThreadCount();
                long okRuns = goodOkRuns(agent).values().stream()
                                .mapToLong(Long::longValue)
                                .sum()
                        - okAtStart.values().stream().mapToLong(Long::longValue).sum();
                long notOk = goodRuns(agent, NOT_OK) - notOkAtStart;
                Map<String, RunRecord> holeLast = holeLastRuns(agent);
                report(okRuns, notOk, counts, threadsAtStart, threadsAtEnd, holeLast);

                // A good run may fail when the machine stalls for seconds; a share of them failing means the holes
                // got in the way.
                assertThat(notOk)
                        .as("good runs that were not OK beside the black holes (of %d OK)", okRuns)
                        .isLessThanOrEqualTo(Math.max(2, okRuns / 50));
                assertThat(counts.getMax() - counts.getMin())
                        .as("JVM thread count spread while the holes were failing")
                        .isLessThanOrEqualTo(THREAD_SLACK);
                assertThat(holeLast).hasSize(HOLES);
                assertThat(holeLast.values())
                        .allSatisfy(run -> assertThat(run.result().reason()).isEqualTo(Reason.TIMEOUT));
                assertThat(fleet.holeConnections()).isGreaterThanOrEqualTo(HOLES);
            }
        }
    }

    private static boolean warm(Agent agent) {
        List<SeriesState> all = agent.store().all();
        long goodReady = all.stream()
                .filter(series -> series.key().target().startsWith(SshFleet.GOOD_PREFIX))
                .filter(series -> series.runs(Outcome.OK) >= 1)
                .count();
        long holesReady = all.stream()
                .filter(series -> series.key().target().startsWith(SshFleet.HOLE_PREFIX))
                .filter(series -> series.last().isPresent())
                .count();
        return goodReady == GOOD && holesReady == HOLES;
    }

    private static Map<String, Long> goodOkRuns(Agent agent) {
        return agent.store().all().stream()
                .filter(series -> series.key().target().startsWith(SshFleet.GOOD_PREFIX))
                .collect(Collectors.toMap(series -> series.key().target(), series -> series.runs(Outcome.OK)));
    }

    /** Runs of the good targets that ended with one of {@code outcomes}. */
    private static long goodRuns(Agent agent, Set<Outcome> outcomes) {
        return agent.store().all().stream()
                .filter(series -> series.key().target().startsWith(SshFleet.GOOD_PREFIX))
                .mapToLong(series -> outcomes.stream().mapToLong(series::runs).sum())
                .sum();
    }

    private static Map<String, RunRecord> holeLastRuns(Agent agent) {
        return agent.store().all().stream()
                .filter(series -> series.key().target().startsWith(SshFleet.HOLE_PREFIX))
                .filter(series -> series.last().isPresent())
                .collect(Collectors.toMap(
                        series -> series.key().target(), series -> series.last().orElseThrow()));
    }

    private static void report(
            long okRuns,
            long notOk,
            IntSummaryStatistics threads,
            int threadsAtStart,
            int threadsAtEnd,
            Map<String, RunRecord> holeLast) {
        Map<Outcome, Long> holeOutcomes =
                holeLast.values().stream().collect(Collectors.groupingBy(RunRecord::outcome, Collectors.counting()));
        System.out.printf(
                "ssh fleet: %d good targets every %d s beside %d black holes: %d OK and %d not OK runs until each"
                        + " good target had %d more OK runs; threads min %d max %d, start %d end %d;"
                        + " black holes' last outcomes %s%n",
                GOOD,
                INTERVAL.toSeconds(),
                HOLES,
                okRuns,
                notOk,
                RUNS_PER_TARGET,
                threads.getMin(),
                threads.getMax(),
                threadsAtStart,
                threadsAtEnd,
                holeOutcomes);
    }
}
