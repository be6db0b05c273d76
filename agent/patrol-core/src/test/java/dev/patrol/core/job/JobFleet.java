package dev.patrol.core.job;

import com.typesafe.config.ConfigFactory;
import dev.patrol.api.Target;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import dev.patrol.testing.TestSettings;
import dev.patrol.transport.ssh.SshMetrics;
import dev.patrol.transport.ssh.SshSessionPool;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Several real OpenSSH servers on loopback, one client key for all, and a pool that reaches them. */
final class JobFleet implements AutoCloseable {
    final List<OpenSshServer> servers = new ArrayList<>();
    final SshSessionPool pool;
    private final Path knownHostsFile;

    JobFleet(Path dir, int count) {
        for (int i = 0; i < count; i++) {
            servers.add(OpenSshServer.create(dir.resolve("sshd-" + i)));
        }
        Path key = servers.get(0).clientKey();
        List<String> knownHosts = new ArrayList<>();
        for (OpenSshServer server : servers) {
            server.authorize(key).maxSessions(10).start();
            knownHosts.add(server.knownHostsLine(false));
        }
        knownHostsFile = SshKeys.writeKnownHosts(dir.resolve("known_hosts"), knownHosts);
        pool = pool(Map.of());
    }

    /** Another pool that reaches the same servers, with {@code more} settings over the reference ones. */
    SshSessionPool pool(Map<String, ?> more) {
        Map<String, Object> settings = TestSettings.sshClient(servers.get(0), knownHostsFile);
        settings.putAll(more);
        return new SshSessionPool(
                dev.patrol.transport.ssh.SshSettingsByTarget.of(dev.patrol.transport.ssh.SshSettings.from(
                        TestSettings.with(ConfigFactory.defaultReference().getConfig("patrol.ssh"), settings))),
                new SshMetrics());
    }

    /** {@code count} targets spread over the servers in turn: target {@code t<i>} on server {@code i % servers}. */
    List<Target> targets(int count) {
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            OpenSshServer server = servers.get(i % servers.size());
            targets.add(Target.of(String.format("t%02d", i), server.host(), server.port()));
        }
        return targets;
    }

    /** Every regular file under {@code root}, none when it does not exist. */
    static List<Path> regularFiles(Path root) throws java.io.IOException {
        if (!java.nio.file.Files.exists(root)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(root)) {
            return walk.filter(java.nio.file.Files::isRegularFile).toList();
        }
    }

    static JobSettings fetch(String name, List<Target> targets, List<String> paths, Path destination, int serial) {
        return new JobSettings(
                name,
                JobType.FETCH,
                targets,
                null,
                ZoneOffset.UTC,
                new Limit(serial, false),
                new Limit(targets.size(), false),
                Duration.ofSeconds(60),
                null,
                Set.of(0),
                paths,
                destination,
                new JobSettings.Keep(7, Duration.ofDays(30)),
                JobSettings.NoFiles.FAIL,
                JobSettings.Transfer.UNBOUNDED,
                null);
    }

    static JobSettings push(String name, List<Target> targets, JobSettings.Push push) {
        return new JobSettings(
                name,
                JobType.PUSH,
                targets,
                null,
                ZoneOffset.UTC,
                new Limit(1, false),
                new Limit(targets.size(), false),
                Duration.ofSeconds(60),
                null,
                Set.of(0),
                List.of(),
                null,
                new JobSettings.Keep(7, Duration.ofDays(30)),
                JobSettings.NoFiles.FAIL,
                JobSettings.Transfer.UNBOUNDED,
                push);
    }

    static JobSettings withTransfer(JobSettings job, JobSettings.Transfer transfer) {
        return new JobSettings(
                job.name(),
                job.type(),
                job.targets(),
                job.schedule(),
                job.timeZone(),
                job.serial(),
                job.maxFailures(),
                job.timeout(),
                job.command(),
                job.okExitCodes(),
                job.paths(),
                job.destination(),
                job.keep(),
                job.noFiles(),
                transfer,
                job.push());
    }

    static JobSettings withTimeout(JobSettings job, Duration timeout) {
        return new JobSettings(
                job.name(),
                job.type(),
                job.targets(),
                job.schedule(),
                job.timeZone(),
                job.serial(),
                job.maxFailures(),
                timeout,
                job.command(),
                job.okExitCodes(),
                job.paths(),
                job.destination(),
                job.keep(),
                job.noFiles(),
                job.transfer(),
                job.push());
    }

    static JobSettings withKeep(JobSettings job, JobSettings.Keep keep) {
        return new JobSettings(
                job.name(),
                job.type(),
                job.targets(),
                job.schedule(),
                job.timeZone(),
                job.serial(),
                job.maxFailures(),
                job.timeout(),
                job.command(),
                job.okExitCodes(),
                job.paths(),
                job.destination(),
                keep,
                job.noFiles(),
                job.transfer(),
                job.push());
    }

    static JobSettings withMaxFailures(JobSettings job, Limit maxFailures) {
        return new JobSettings(
                job.name(),
                job.type(),
                job.targets(),
                job.schedule(),
                job.timeZone(),
                job.serial(),
                maxFailures,
                job.timeout(),
                job.command(),
                job.okExitCodes(),
                job.paths(),
                job.destination(),
                job.keep(),
                job.noFiles(),
                job.transfer(),
                job.push());
    }

    static JobSettings withCommand(JobSettings job, String command, Set<Integer> codes) {
        return new JobSettings(
                job.name(),
                JobType.COMMAND,
                job.targets(),
                job.schedule(),
                job.timeZone(),
                job.serial(),
                job.maxFailures(),
                job.timeout(),
                command,
                codes,
                job.paths(),
                job.destination(),
                job.keep(),
                job.noFiles(),
                job.transfer(),
                job.push());
    }

    @Override
    public void close() {
        pool.close();
        servers.forEach(OpenSshServer::close);
    }
}
