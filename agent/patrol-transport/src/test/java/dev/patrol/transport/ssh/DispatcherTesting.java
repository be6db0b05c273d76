package dev.patrol.transport.ssh;

import dev.patrol.api.CommandResult;
import dev.patrol.api.Target;
import dev.patrol.testing.OpenSshServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Pools, runs and remote processes for the command dispatcher's tests. */
final class DispatcherTesting {
    private DispatcherTesting() {}

    /** A pool on {@code sshd} using {@code channel} ("exec" or "dispatcher"), with {@code more} settings. */
    static SshSessionPool pool(OpenSshServer sshd, Path knownHosts, String channel, Map<String, ?> more) {
        Map<String, Object> settings = SshTesting.client(sshd, knownHosts, Map.of("command-channel", channel));
        settings.put("auth-timeout", "20s");
        settings.putAll(more);
        return SshTesting.pool(SshTesting.ssh(settings), new SshMetrics());
    }

    static CompletableFuture<CommandResult> exec(
            SshSessionPool pool, Target target, String command, int cap, Duration timeout) {
        return pool.exec(target, command, cap, SshTesting.run(timeout)).toCompletableFuture();
    }

    static CommandResult ok(SshSessionPool pool, Target target, String command, int cap) {
        return exec(pool, target, command, cap, Duration.ofSeconds(60))
                .orTimeout(90, TimeUnit.SECONDS)
                .join();
    }

    /** Sessions (exec channels) sshd started: one per command over exec channels, one per dispatcher. */
    static long sessionsStarted(OpenSshServer sshd) {
        return sshd.log()
                .lines()
                .filter(line -> line.contains("Starting session"))
                .count();
    }

    /**
     * The process ids of {@code sshd}'s dispatcher processes (its main loop, writer and waiters), found among the
     * server's own descendants so that another test run's or a user's dispatchers on the machine are never touched.
     */
    static List<Long> dispatcherPids(OpenSshServer sshd) {
        return sshd.sessionProcesses().stream()
                .filter(process -> process.info()
                        .commandLine()
                        .map(line -> line.contains(DispatcherScript.BANNER))
                        .orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }

    /** Sends {@code signal} ("KILL", "STOP") to {@code sshd}'s dispatcher processes, as an operator's pkill would. */
    static int signalDispatchers(OpenSshServer sshd, String signal) throws IOException, InterruptedException {
        List<Long> pids = dispatcherPids(sshd);
        for (long pid : pids) {
            new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).start().waitFor(10, TimeUnit.SECONDS);
        }
        return pids.size();
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
