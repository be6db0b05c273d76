package dev.patrol.transport.ssh;

import static dev.patrol.transport.ssh.DispatcherTesting.exec;
import static dev.patrol.transport.ssh.DispatcherTesting.ok;
import static dev.patrol.transport.ssh.DispatcherTesting.sessionsStarted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.CommandResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Target;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command dispatcher against a real OpenSSH sshd: what commands return, concurrency, deadlines, fallback. */
class SshDispatcherIT {
    @TempDir
    Path dir;

    private OpenSshServer sshd() {
        return OpenSshServer.create(dir.resolve("sshd"));
    }

    private Path knownHosts(OpenSshServer sshd) {
        return SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of(sshd.knownHostsLine(false)));
    }

    @Test
    void returnsWhatAnExecChannelReturnsOverOneSession() {
        List<String> commands = List.of(
                "echo OK",
                "echo out; echo err >&2; exit 3",
                "printf 'a\\000b\\377'",
                "head -c 200000 /dev/zero | tr '\\000' x; head -c 70000 /dev/zero | tr '\\000' y >&2",
                "printf 'line one\\n'\necho \"line two\"\n\n",
                "cat; echo after-stdin",
                "true",
                "exit 255",
                "echo \"$HOME\" | wc -c",
                // One-line outputs, which the dispatcher sends with its shell's printf when the line's length in
                // bytes accounts for the whole output, and with cat otherwise:
                "printf 'h\\303\\251llo w\\303\\266rld\\n'",
                "printf 'a\\000b\\n'",
                "printf '  two  spaces \\\\ and a backslash  \\n'",
                "printf '\\377\\376 not UTF-8\\n'",
                "printf '\\n'",
                "printf 'no newline at the end'",
                "printf 'trailing\\n\\n'");
        try (OpenSshServer sshd = sshd().start()) {
            Path knownHosts = knownHosts(sshd);
            Target target = SshTesting.target("sshd", sshd.host(), sshd.port());
            try (SshSessionPool viaExec = DispatcherTesting.pool(sshd, knownHosts, "exec", Map.of());
                    SshSessionPool viaDispatcher = DispatcherTesting.pool(sshd, knownHosts, "dispatcher", Map.of())) {
                for (int cap : new int[] {64 * 1024, 300_000}) {
                    for (String command : commands) {
                        assertThat(ok(viaDispatcher, target, command, cap))
                                .as(command + " with a cap of " + cap)
                                .isEqualTo(ok(viaExec, target, command, cap));
                    }
                }
                long before = sessionsStarted(sshd);
                CommandResult big = ok(viaDispatcher, target, commands.get(3), 300_000);
                assertThat(big.stdout()).hasSize(200_000);
                assertThat(big.stderr()).hasSize(70_000);
                assertThat(big.truncated()).isFalse();
                CommandResult capped = ok(viaDispatcher, target, commands.get(3), 1000);
                assertThat(capped.stdout()).isEqualTo("x".repeat(1000));
                assertThat(capped.truncated()).isTrue();
                assertThat(sessionsStarted(sshd)).as("no channel per command").isEqualTo(before);
            }
        }
    }

    @Test
    void keepsABoundedNumberOfFilesOnTheTargetHoweverManyCommandsRanAndNoFlood() {
        // The dispatcher removes finished commands' files in batches (each rm is a process forked on the target);
        // its directory must not grow with the number of commands. The command finds the directory through the fifo
        // its parent subshell holds as fd 4 (Linux's /proc).
        String count = "ls \"$(dirname \"$(readlink /proc/$PPID/fd/4)\")\" | wc -l";
        try (OpenSshServer sshd = sshd().start()) {
            Target target = SshTesting.target("sshd", sshd.host(), sshd.port());
            try (SshSessionPool pool = DispatcherTesting.pool(sshd, knownHosts(sshd), "dispatcher", Map.of())) {
                List<Integer> files = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    CommandResult result = ok(pool, target, i % 50 == 49 ? count : "echo " + i, 1024);
                    if (i % 50 == 49) {
                        files.add(Integer.parseInt(result.stdout().strip()));
                    } else {
                        assertThat(result.stdout()).isEqualTo(i + "\n");
                    }
                }
                // The fifo and at most 64 finished commands' three files, plus the running one's.
                assertThat(files).allSatisfy(n -> assertThat(n).isBetween(2, 1 + 3 * 64 + 3));

                // An output over its cap is removed as soon as it is sent, not with the next batch.
                CommandResult flood = ok(pool, target, "head -c 200000 /dev/zero | tr '\\000' x", 1024);
                assertThat(flood.truncated()).isTrue();
                String big = "find \"$(dirname \"$(readlink /proc/$PPID/fd/4)\")\" -type f -size +10k | wc -l";
                assertThat(ok(pool, target, big, 1024).stdout().strip()).isEqualTo("0");
            }
        }
    }

    @Test
    void runsCommandsConcurrentlyOnOneDispatcher() throws Exception {
        int n = 20;
        Path meeting = Files.createDirectories(dir.resolve("meeting"));
        try (OpenSshServer sshd = sshd().start()) {
            Target target = SshTesting.target("sshd", sshd.host(), sshd.port());
            try (SshSessionPool pool =
                    DispatcherTesting.pool(sshd, knownHosts(sshd), "dispatcher", Map.of("max-channels", n))) {
                ok(pool, target, "true", 1024);
                long before = sessionsStarted(sshd);
                List<CompletableFuture<CommandResult>> runs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    // Each command ends only once all of them have started: they must run at the same time.
                    String command = "touch " + meeting + "/" + i + "; while [ $(ls " + meeting + " | wc -l) -lt " + n
                            + " ]; do sleep 0.1; done; echo " + i;
                    runs.add(exec(pool, target, command, 1024, Duration.ofSeconds(60)));
                }
                for (int i = 0; i < n; i++) {
                    CommandResult result =
                            runs.get(i).orTimeout(90, TimeUnit.SECONDS).join();
                    assertThat(result.stdout()).isEqualTo(i + "\n");
                    assertThat(result.exitStatus()).isZero();
                }
                assertThat(sessionsStarted(sshd)).isEqualTo(before);
                assertThat(pool.channelsInUse()).isZero();
            }
        }
    }

    @Test
    void queuesCommandsBeyondMaxChannelsAndHandsThePermitsOn() {
        try (OpenSshServer sshd = sshd().start()) {
            Target target = SshTesting.target("sshd", sshd.host(), sshd.port());
            try (SshSessionPool pool =
                    DispatcherTesting.pool(sshd, knownHosts(sshd), "dispatcher", Map.of("max-channels", 2))) {
                List<CompletableFuture<CommandResult>> runs = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    runs.add(exec(pool, target, "sleep 0.2; echo " + i, 1024, Duration.ofSeconds(60)));
                }
                for (int i = 0; i < runs.size(); i++) {
                    assertThat(runs.get(i)
                                    .orTimeout(90, TimeUnit.SECONDS)
                                    .join()
                                    .stdout())
                            .isEqualTo(i + "\n");
                }
                assertThat(pool.channelsInUse()).isZero();
            }
        }
    }

    @Test
    void commandsStillRunningWhenThePoolClosesAreKilledOnTheTarget() throws Exception {
        Path pid = dir.resolve("running.pid");
        try (OpenSshServer sshd = sshd().start()) {
            Target target = SshTesting.target("sshd", sshd.host(), sshd.port());
            CompletableFuture<CommandResult> running;
            try (SshSessionPool pool = DispatcherTesting.pool(sshd, knownHosts(sshd), "dispatcher", Map.of())) {
                running = exec(pool, target, "echo $$ > " + pid + "; exec sleep 303", 1024, Duration.ofSeconds(120));
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pid) && Files.size(pid) > 0);
            }
            long remote = Long.parseLong(Files.readString(pid).strip());
            await().atMost(Duration.ofSeconds(30)).until(() -> !DispatcherTesting.alive(remote));
            assertThat(SshSessionPoolIT.failure(running).reason()).isEqualTo(Reason.CONNECTION_FAILED);
        }
    }

    @Test
    void killsAHungCommandAtItsDeadlineAndLeavesTheOthersRunning() throws Exception {
        Path pids = dir.resolve("pids");
        try (OpenSshServer sshd = sshd().start()) {
            Target target = SshTesting.target("sshd", sshd.host(), sshd.port());
            try (SshSessionPool pool = DispatcherTesting.pool(sshd, knownHosts(sshd), "dispatcher", Map.of())) {
                ok(pool, target, "true", 1024);
                CompletableFuture<CommandResult> other =
                        exec(pool, target, "sleep 4; echo other", 1024, Duration.ofSeconds(60));
                String hung = "echo $$ > " + pids + ".sh; sleep 300 & echo $! > " + pids + ".child; wait";
                CompletableFuture<CommandResult> stuck = exec(pool, target, hung, 1024, Duration.ofSeconds(2));

                assertThat(SshSessionPoolIT.failure(stuck).reason()).isEqualTo(Reason.TIMEOUT);
                long shell =
                        Long.parseLong(Files.readString(Path.of(pids + ".sh")).strip());
                long child = Long.parseLong(
                        Files.readString(Path.of(pids + ".child")).strip());
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> !DispatcherTesting.alive(shell) && !DispatcherTesting.alive(child));
                assertThat(other.orTimeout(60, TimeUnit.SECONDS).join().stdout())
                        .isEqualTo("other\n");
                assertThat(ok(pool, target, "echo still", 1024).stdout()).isEqualTo("still\n");
                await().atMost(Duration.ofSeconds(30)).until(() -> pool.channelsInUse() == 0);
            }
        }
    }

    @Test
    void fallsBackToExecChannelsWhenTheDispatcherCannotStart() throws Exception {
        Path forced = dir.resolve("forced.sh");
        // A server whose forced command greets instead of running the dispatcher, and runs every other command.
        Files.writeString(
                forced,
                "case \"$SSH_ORIGINAL_COMMAND\" in *PATROL-DISPATCH*) echo 'Welcome to this host'; exit 0;; esac\n"
                        + "exec /bin/sh -c \"$SSH_ORIGINAL_COMMAND\"\n");
        try (OpenSshServer sshd = sshd().forceCommand("/bin/sh " + forced).start()) {
            Target target = SshTesting.target("sshd", sshd.host(), sshd.port());
            try (SshSessionPool pool = DispatcherTesting.pool(sshd, knownHosts(sshd), "dispatcher", Map.of())) {
                for (int i = 0; i < 3; i++) {
                    CommandResult result = ok(pool, target, "echo fine; exit 4", 1024);
                    assertThat(result.stdout()).isEqualTo("fine\n");
                    assertThat(result.exitStatus()).isEqualTo(4);
                }
                // One attempt at the dispatcher, then an exec channel per command.
                assertThat(sessionsStarted(sshd)).isEqualTo(4);
            }
        }
    }

    @Test
    void doesNotNeedAPosixLoginShell() throws Exception {
        Path shell = dir.resolve("not-posix.sh");
        // Stands in for fish or csh as the login shell (the test cannot change the user's shell): it understands
        // only "/bin/sh -c '<one single-quoted word>'" and refuses every other syntax, as they refuse POSIX's.
        Files.writeString(
                shell,
                "c=\"$SSH_ORIGINAL_COMMAND\"\n"
                        + "case \"$c\" in \"/bin/sh -c '\"*\"'\") i=${c#\"/bin/sh -c '\"}; i=${i%\"'\"};;\n"
                        + "  *) echo \"not-posix: cannot parse: $c\" >&2; exit 127;; esac\n"
                        + "case \"$i\" in *\"'\"*) echo 'not-posix: unbalanced quote' >&2; exit 127;; esac\n"
                        + "exec /bin/sh -c \"$i\"\n");
        String command = "echo a; echo b | tr b c; [ -n \"$HOME\" ] && echo home";
        try (OpenSshServer sshd = sshd().forceCommand("/bin/sh " + shell).start()) {
            Path knownHosts = knownHosts(sshd);
            Target target = SshTesting.target("sshd", sshd.host(), sshd.port());
            try (SshSessionPool viaExec = DispatcherTesting.pool(sshd, knownHosts, "exec", Map.of());
                    SshSessionPool viaDispatcher = DispatcherTesting.pool(sshd, knownHosts, "dispatcher", Map.of())) {
                assertThat(ok(viaExec, target, command, 1024).exitStatus()).isEqualTo(127);
                CommandResult result = ok(viaDispatcher, target, command, 1024);
                assertThat(result.stdout()).isEqualTo("a\nc\nhome\n");
                assertThat(result.exitStatus()).isZero();
            }
        }
    }
}
