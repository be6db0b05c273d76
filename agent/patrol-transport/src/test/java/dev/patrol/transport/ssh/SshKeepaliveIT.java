package dev.patrol.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.CommandResult;
import dev.patrol.api.Target;
import dev.patrol.testing.Closing;
import dev.patrol.testing.OpenSshServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heartbeats against the real OpenSSH server, which logs each keepalive it receives at {@code DEBUG1}: an open
 * connection sends them every {@code heartbeat-interval}, the server answers and the connection stays; a server that
 * falls silent (its session processes stopped, as a hung host or a dead network leaves them) is found dead through
 * unanswered keepalives and the read timeout, and the next command logs in again.
 */
class SshKeepaliveIT {
    private static final Duration RUN = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    OpenSshServer sshd;
    SshSessionPool pool;
    Target target;

    @AfterEach
    void stop() throws Exception {
        Closing.closeAll(pool, sshd);
    }

    @Test
    void anOpenConnectionSendsKeepalivesThatTheServerAnswers() throws Exception {
        start(Map.of("heartbeat-interval", "1s"));
        assertThat(run("echo OK").stdout()).isEqualTo("OK\n");

        await().atMost(Duration.ofSeconds(60)).until(() -> keepalivesLogged() >= 3);

        // Answered: the connection is still the first one.
        assertThat(run("echo again").stdout()).isEqualTo("again\n");
        assertThat(sshd.acceptedLogins()).isEqualTo(1);
    }

    @Test
    void aServerThatFallsSilentIsFoundDeadAndTheNextCommandLogsInAgain() throws Exception {
        start(Map.of("heartbeat-interval", "1s", "idle-timeout", "2s"));
        run("echo OK");
        assertThat(sshd.signalSessions("STOP")).isPositive();

        // The frozen session answers nothing: keepalives go unanswered and reads time out, the connection is closed,
        // and a later command opens a new one to the listener, which still runs.
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    try {
                        return "OK\n"
                                .equals(pool.exec(target, "echo OK", 1024, SshTesting.run(Duration.ofSeconds(5)))
                                        .toCompletableFuture()
                                        .get(20, TimeUnit.SECONDS)
                                        .stdout());
                    } catch (Exception e) {
                        return false;
                    }
                });
        assertThat(sshd.acceptedLogins()).isEqualTo(2);
    }

    private void start(Map<String, String> settings) {
        sshd = OpenSshServer.create(dir.resolve("sshd")).logLevel("DEBUG1").start();
        pool = SshTesting.poolFor(sshd, dir, settings);
        target = SshTesting.target("sshd", sshd.host(), sshd.port());
    }

    private CommandResult run(String command) throws Exception {
        return pool.exec(target, command, 1024, SshTesting.run(RUN))
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
    }

    private long keepalivesLogged() {
        return sshd.log()
                .lines()
                .filter(line -> line.contains("rtype keepalive@openssh.com"))
                .count();
    }
}
