package dev.patrol.core.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.patrol.api.CommandResult;
import dev.patrol.api.Reason;
import dev.patrol.api.SshFailure;
import dev.patrol.api.Target;
import dev.patrol.core.job.RemoteShell;
import dev.patrol.testing.Closing;
import dev.patrol.testing.TestCheckContext;
import dev.patrol.testing.TestSettings;
import dev.patrol.transport.ssh.IdentityFiles;
import dev.patrol.transport.ssh.SshMetrics;
import dev.patrol.transport.ssh.SshSessionPool;
import dev.patrol.transport.ssh.SshSettings;
import dev.patrol.transport.ssh.SshSettingsByTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo SSH server on loopback, driven through core's real session pool with strict host-key checking. */
class DemoSshServerTest {
    @TempDir
    static Path dir;

    static DemoSshServer ssh;
    static SshSessionPool pool;
    static Config global;

    @BeforeAll
    static void start() throws Exception {
        ssh = DemoSshServer.start(dir.resolve("ssh"));
        global = TestSettings.with(
                ConfigFactory.defaultReference().getConfig("patrol.ssh"),
                Map.of(
                        "user",
                        ssh.user(),
                        "identity-file",
                        ssh.identityFile(),
                        "known-hosts",
                        ssh.knownHosts(),
                        "host-key-policy",
                        "strict"));
        pool = new SshSessionPool(SshSettingsByTarget.of(SshSettings.from(global)), new SshMetrics());
    }

    @AfterAll
    static void stop() throws Exception {
        Closing.closeAll(pool, ssh);
    }

    /** A run with a far deadline that never fires by itself: a test that wants it cancelled calls {@code cancel()}. */
    static TestCheckContext run() {
        return TestCheckContext.builder()
                .check("demo-test")
                .timeout(Duration.ofSeconds(30))
                .cancelAtDeadline(false)
                .build();
    }

    static CommandResult exec(String host, String command) {
        return exec(Target.of("demo-" + host, host, ssh.port()), command);
    }

    static CommandResult exec(Target target, String command) {
        return pool.exec(target, command, 64 * 1024, run())
                .toCompletableFuture()
                .orTimeout(30, TimeUnit.SECONDS)
                .join();
    }

    static SshFailure failure(CompletableFuture<?> run) {
        assertThatThrownBy(() -> run.orTimeout(30, TimeUnit.SECONDS).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(SshFailure.class);
        Throwable error = run.handle((done, thrown) -> thrown).join();
        return (SshFailure) (error instanceof CompletionException wrapped ? wrapped.getCause() : error);
    }

    /** A target at the demo server with its own {@code ssh} block over the pool's settings, as a load resolves it. */
    static Target target(String name, Map<String, Object> ownSsh) {
        SshSettings own = SshSettings.from(
                TestSettings.with(ConfigFactory.empty(), ownSsh).withFallback(global));
        pool.update(new SshSettingsByTarget(SshSettings.from(global), Map.of(name, own)));
        return Target.of(name, ssh.host(), ssh.port());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost"})
    void checkLoadPrintsNagiosOutputUnderStrictHostKeyChecking(String host) throws Exception {
        String knownHostsBefore = Files.readString(ssh.knownHosts());

        CommandResult result = exec(host, "check_load");

        assertThat(result.exitStatus()).isBetween(0, 2);
        assertThat(result.stdout())
                .matches("LOAD (OK|WARNING|CRITICAL) - total load average: [0-9.]+, [0-9.]+, [0-9.]+"
                        + "\\|load1=[0-9.]+;[0-9.]+;[0-9.]+;0; load5=.+ load15=.+\n");
        assertThat(result.stderr()).isEmpty();
        assertThat(Files.readString(ssh.knownHosts())).isEqualTo(knownHostsBefore);
    }

    @Test
    void checkDiskReportsTheRootFileSystemInMegabytes() {
        CommandResult result = exec("127.0.0.1", "check_disk");

        assertThat(result.exitStatus()).isBetween(0, 2);
        assertThat(result.stdout())
                .matches("DISK (OK|WARNING|CRITICAL) - free space: / \\d+ MB \\(\\d+%\\);"
                        + "\\| /=\\d+MB;\\d+;\\d+;0;\\d+\n");
    }

    @Test
    void checkQueueExitStatusMatchesItsSummary() {
        CommandResult result = exec("127.0.0.1", "check_queue");

        String word = result.stdout().split(" ")[1];
        String[] words = {"OK", "WARNING", "CRITICAL"};
        assertThat(result.exitStatus()).isBetween(0, 2);
        assertThat(word).isEqualTo(words[result.exitStatus()]);
        assertThat(result.stdout()).contains("|messages=").contains(" oldest=");
    }

    @Test
    void nodeTextfilePrintsPrometheusText() {
        CommandResult result = exec("localhost", "node_textfile");

        assertThat(result.exitStatus()).isZero();
        assertThat(result.stdout())
                .contains("# TYPE node_demo_jobs_processed_total counter\nnode_demo_jobs_processed_total ")
                .containsPattern("(?m)^node_demo_filesystem_size_bytes\\{mountpoint=\"/\"} \\d+$");
    }

    @Test
    void theChecksumCommandAnswersLikeOpensslForTheDumpAndFailsForAMissingFile() throws Exception {
        byte[] dump = java.nio.file.Files.readAllBytes(dir.resolve("ssh/files/var/backups/demo/orders.sql"));
        String expected = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(dump));

        CommandResult sum = exec("127.0.0.1", RemoteShell.checksumCommand("/var/backups/demo/orders.sql"));
        CommandResult missing = exec("127.0.0.1", RemoteShell.checksumCommand("/var/backups/demo/../../../etc/passwd"));

        assertThat(sum.exitStatus()).isZero();
        assertThat(sum.stdout()).isEqualTo(expected + " *stdin\n");
        assertThat(missing.exitStatus()).isEqualTo(2);
        assertThat(missing.stderr()).contains("cannot open");
    }

    @Test
    void unknownCommandExits127LikeAShell() {
        CommandResult result = exec("127.0.0.1", "rm -rf /tmp/x");

        assertThat(result.exitStatus()).isEqualTo(127);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("sh: 1: rm: not found\n");
    }

    @Test
    void knownCommandWithArgumentsIsUnknownToNagios() {
        CommandResult result = exec("127.0.0.1", "check_disk -w 20%");

        assertThat(result.exitStatus()).isEqualTo(3);
        assertThat(result.stdout()).startsWith("check_disk UNKNOWN");
    }

    @Test
    void sleepForeverStopsWhenTheRunIsCancelled() {
        TestCheckContext run = run();
        CompletableFuture<CommandResult> result = pool.exec(
                        Target.of("demo-hung", "127.0.0.1", ssh.port()), "sleep_forever", 1024, run)
                .toCompletableFuture();
        await().atMost(Duration.ofSeconds(20)).until(() -> ssh.runningCommands() == 1);
        assertThat(result).isNotDone();

        run.cancel();

        assertThat(failure(result).reason()).isEqualTo(Reason.TIMEOUT);
        await().atMost(Duration.ofSeconds(20)).until(() -> ssh.runningCommands() == 0);
    }

    @Test
    void identityFileIsAnOpenSshKeyOnlyItsOwnerCanRead() throws Exception {
        assertThat(Files.readString(ssh.identityFile())).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(IdentityFiles.problem(ssh.identityFile())).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ssh.identityFile())))
                .isEqualTo("rw-------");
    }

    @Test
    void knownHostsNamesBothHostsAtThePort() throws Exception {
        assertThat(Files.readAllLines(ssh.knownHosts()))
                .filteredOn(line -> !line.startsWith("#"))
                .satisfiesExactly(
                        line -> assertThat(line).startsWith("[127.0.0.1]:" + ssh.port() + " ecdsa-sha2-nistp256 "),
                        line -> assertThat(line).startsWith("[localhost]:" + ssh.port() + " ecdsa-sha2-nistp256 "));
    }

    @Test
    void anotherClientKeyIsRefused() throws Exception {
        DemoSshFiles other = DemoSshFiles.create(dir.resolve("other-key"));
        other.writeIdentity(KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256));
        Target target = target(
                "demo-other-key", Map.of("identity-file", other.identity().toString()));

        SshFailure failure =
                failure(pool.exec(target, "check_load", 1024, run()).toCompletableFuture());

        assertThat(failure.reason()).isEqualTo(Reason.AUTH_FAILED);
    }

    @Test
    void anotherUserIsRefused() {
        Target target = target("demo-root", Map.of("user", "root"));

        SshFailure failure =
                failure(pool.exec(target, "check_load", 1024, run()).toCompletableFuture());

        assertThat(failure.reason()).isEqualTo(Reason.AUTH_FAILED);
    }

    @Test
    void anotherHostKeyIsRefusedBeforeLoggingIn() throws Exception {
        DemoSshFiles other = DemoSshFiles.create(dir.resolve("other-host"));
        other.writeKnownHosts(
                DemoSshServer.HOSTS,
                ssh.port(),
                KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256)
                        .getPublic());
        Target target = target(
                "demo-other-host", Map.of("known-hosts", other.knownHosts().toString()));

        SshFailure failure =
                failure(pool.exec(target, "check_load", 1024, run()).toCompletableFuture());

        assertThat(failure.reason()).isEqualTo(Reason.HOST_KEY_MISMATCH);
    }
}
