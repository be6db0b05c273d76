package dev.patrol.core.cli;

import static dev.patrol.core.cli.CommandOutput.patrol;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code patrol run-job} against a real sshd: progress lines, exit statuses, and a dry run that transfers nothing. */
class RunJobCommandIT {
    @TempDir
    static Path dir;

    static OpenSshServer sshd;
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        sshd = OpenSshServer.create(dir.resolve("sshd")).start();
        Path knownHosts = SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of(sshd.knownHostsLine(false)));
        Path remote = Files.createDirectories(dir.resolve("remote dir"));
        Files.writeString(remote.resolve("db-1.sql"), "dump one\n");
        Files.writeString(remote.resolve("db-2.sql"), "dump two\n");
        Files.writeString(dir.resolve("motd"), "welcome to db\n");
        Files.write(dir.resolve("big.bin"), new byte[1024 * 1024]);
        Files.createDirectories(dir.resolve("etc"));
        config = dir.resolve("patrol.conf");
        Files.writeString(
                config,
                """
                patrol {
                  state-dir = "%s"
                  ssh { user = "%s", identity-file = "%s", known-hosts = "%s" }
                  targets {
                    db-1 { host = "%s", port = %d }
                    db-2 { host = "%s", port = %d }
                  }
                  jobs {
                    dump { type = fetch, targets = "*", paths = ["%s/*.sql"], serial = 2 }
                    missing { type = fetch, targets = "*", paths = ["%s/*.gz"], max-failures = 1 }
                    slow { type = fetch, targets = ["db-1"], paths = ["%s/big.bin"], max-rate = "256KiB/s" }
                    motd { type = push, targets = ["db-1"], source = "motd", remote-path = "%s/motd", mode = "0644" }
                  }
                }
                """
                        .formatted(
                                dir.resolve("state"),
                                sshd.user(),
                                sshd.clientKey(),
                                knownHosts,
                                sshd.host(),
                                sshd.port(),
                                sshd.host(),
                                sshd.port(),
                                remote,
                                remote,
                                dir,
                                dir.resolve("etc")));
    }

    @AfterAll
    static void stop() {
        if (sshd != null) {
            sshd.close();
        }
    }

    @Test
    void aDryRunListsTheTargetsAndTransfersNothing() throws Exception {
        long loginsBefore = sshd.acceptedLogins();
        List<Path> filesBefore = files(dir.resolve("state"));

        CommandOutput run = patrol("run-job", "--config", config.toString(), "dump", "--dry-run");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout())
                .contains("dump (fetch) on 2 targets, serial 2")
                .contains("db-1: would fetch")
                .contains("db-2: would fetch");
        assertThat(files(dir.resolve("state"))).isEqualTo(filesBefore);
        assertThat(sshd.acceptedLogins()).isEqualTo(loginsBefore);
    }

    private static List<Path> files(Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (var walk = Files.walk(root)) {
            return walk.sorted().toList();
        }
    }

    @Test
    void aRunPrintsALinePerTargetAndExitsZeroWhenAllSucceed() throws Exception {
        CommandOutput run = patrol("run-job", "--config", config.toString(), "dump", "--target", "db-2");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.stdout()).containsPattern("(?m)^  db-2: ok in .*2 files").doesNotContain("db-1:");
        Path runs = dir.resolve("state").resolve("backups").resolve("dump").resolve("db-2");
        try (var folders = Files.list(runs)) {
            Path folder = folders.findFirst().orElseThrow();
            assertThat(folder.resolve("db-2.sql")).hasContent("dump two");
        }
    }

    @Test
    void aFailedTargetExitsOneAndTheRestAreNotRun() {
        CommandOutput run = patrol("run-job", "--config", config.toString(), "missing");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).contains("db-1: no_files").contains("db-2: not_run");
    }

    @Test
    void aPushPrintsOkThenSkippedOnceTheFileIsTheSame() throws Exception {
        CommandOutput first = patrol("run-job", "--config", config.toString(), "motd");
        CommandOutput second = patrol("run-job", "--config", config.toString(), "motd");

        assertThat(first.exitCode()).as(first.stdout() + first.stderr()).isZero();
        assertThat(first.stdout()).containsPattern("(?m)^  db-1: ok in .*, 14 bytes, ");
        assertThat(dir.resolve("etc").resolve("motd")).hasContent("welcome to db");
        assertThat(second.exitCode()).isZero();
        assertThat(second.stdout()).containsPattern("(?m)^  db-1: skipped in .*\\(already up to date\\)");
        assertThat(Files.readString(dir.resolve("state").resolve("audit.log")))
                .contains("\"job\":\"motd\"")
                .contains("\"result\":\"skipped\"");
    }

    @Test
    void aSlowFetchPrintsProgressWithRateAndEta() {
        CommandOutput run = patrol("run-job", "--config", config.toString(), "slow");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.stdout())
                .containsPattern("(?m)^  db-1: [0-9.]+ of 1\\.0 MiB, [0-9.]+ MiB/s, ETA \\d+ s$")
                .containsPattern("(?m)^  db-1: ok in .*, 1048576 bytes, ");
    }

    @Test
    void anUnknownJobIsAConfigError() {
        CommandOutput run = patrol("run-job", "--config", config.toString(), "nightly");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("no job named 'nightly'; jobs: dump, missing");
    }
}
