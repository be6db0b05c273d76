package dev.patrol.transport.ssh;

import static dev.patrol.transport.ssh.DispatcherTesting.exec;
import static dev.patrol.transport.ssh.DispatcherTesting.ok;
import static dev.patrol.transport.ssh.DispatcherTesting.sessionsStarted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.CommandResult;
import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import dev.patrol.api.Target;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dispatcher killed or stopped from outside: runs in flight fail as connection errors, and a new one takes over. */
class SshDispatcherFaultIT {
    /**
     * The long commands' durations, unlikely enough that killing what matches them after a test cannot hit a sleep of
     * anyone else's on the machine (a plain {@code sleep 30[0-9]} once killed the shell's {@code sleep 300} of a CI run).
     */
    private static final String MARKER =
            String.format("30%06d", ThreadLocalRandom.current().nextInt(1_000_000));

    private static final String HOLD = "sleep " + MARKER + "1";
    private static final String WAIT = "sleep " + MARKER + "2";

    @TempDir
    Path dir;

    @AfterEach
    void killLeftovers() throws Exception {
        // Each test's sshd, closed, killed its dispatchers; the commands they started in their own sessions remain.
        SshSessionPoolIT.killRemote("^sleep " + MARKER + "[12]$");
    }

    private SshSessionPool pool(OpenSshServer sshd) {
        Path knownHosts = SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of(sshd.knownHostsLine(false)));
        return DispatcherTesting.pool(sshd, knownHosts, "dispatcher", Map.of());
    }

    @Test
    void aDispatcherKilledFromOutsideFailsItsRunsAndIsReplaced() throws Exception {
        try (OpenSshServer sshd = OpenSshServer.create(dir.resolve("sshd")).start();
                SshSessionPool pool = pool(sshd)) {
            Target target = SshTesting.target("sshd", sshd.host(), sshd.port());
            ok(pool, target, "true", 1024);
            List<CompletableFuture<CommandResult>> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                runs.add(exec(pool, target, HOLD, 1024, Duration.ofSeconds(120)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> pool.channelsInUse() == 3);

            assertThat(DispatcherTesting.signalDispatchers(sshd, "KILL")).isPositive();

            for (CompletableFuture<CommandResult> run : runs) {
                SshFailure failure = SshSessionPoolIT.failure(run);
                assertThat(failure.reason()).isEqualTo(Reason.CONNECTION_FAILED);
                assertThat(failure.getMessage()).contains("dispatcher");
            }
            long before = sessionsStarted(sshd);
            assertThat(ok(pool, target, "echo again", 1024).stdout()).isEqualTo("again\n");
            assertThat(ok(pool, target, "echo and again", 1024).stdout()).isEqualTo("and again\n");
            assertThat(sessionsStarted(sshd)).as("one new dispatcher").isEqualTo(before + 1);
            assertThat(pool.channelsInUse()).isZero();
        }
    }

    @Test
    void aStoppedDispatcherIsDeclaredHungAtTheFirstUnansweredKillAndReplaced() throws Exception {
        try (OpenSshServer sshd = OpenSshServer.create(dir.resolve("sshd")).start();
                SshSessionPool pool = pool(sshd)) {
            Target target = SshTesting.target("sshd", sshd.host(), sshd.port());
            ok(pool, target, "true", 1024);
            CompletableFuture<CommandResult> waiting = exec(pool, target, WAIT, 1024, Duration.ofSeconds(120));
            await().atMost(Duration.ofSeconds(30)).until(() -> pool.channelsInUse() == 1);

            assertThat(DispatcherTesting.signalDispatchers(sshd, "STOP")).isPositive();

            CompletableFuture<CommandResult> late = exec(pool, target, "echo never", 1024, Duration.ofSeconds(2));
            assertThat(SshSessionPoolIT.failure(late).reason()).isEqualTo(Reason.TIMEOUT);
            // The kill request sent at that deadline goes unanswered: the dispatcher is replaced, not waited for.
            assertThat(SshSessionPoolIT.failure(waiting).reason()).isEqualTo(Reason.CONNECTION_FAILED);
            DispatcherTesting.signalDispatchers(sshd, "KILL");
            assertThat(ok(pool, target, "echo replaced", 1024).stdout()).isEqualTo("replaced\n");
        }
    }
}
