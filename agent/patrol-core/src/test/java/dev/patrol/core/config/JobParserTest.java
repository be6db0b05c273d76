package dev.patrol.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.Target;
import dev.patrol.core.job.JobSettings;
import dev.patrol.core.job.JobType;
import dev.patrol.core.job.Limit;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobParserTest {
    @TempDir
    Path dir;

    @Test
    void readsAJobOverTheDefaults() {
        Path file = ConfigTesting.writeWithSshFiles(
                dir,
                "patrol.conf",
                """
                patrol {
                  state-dir = "state"
                  targets {
                    db-1 { host = "127.0.0.1", labels { role = "db" } }
                    db-2 { host = "127.0.0.2", labels { role = "db" } }
                    web-1 { host = "127.0.0.3", labels { role = "web" } }
                  }
                  jobs {
                    dump { type = fetch, targets { role = "db" }, paths = ["/var/my dumps/*.gz"], serial = "50%",
                           schedule = "0 0 2 * * ?", time-zone = "Europe/Berlin", keep.count = 3 }
                    clean { type = command, targets = "*", command = "true", ok-exit-codes = [0, 1], max-failures = 2 }
                  }
                }
                """);

        PatrolSettings settings = ConfigTesting.loader().load(file);

        JobSettings dump = settings.jobs().get("dump");
        assertThat(dump.type()).isEqualTo(JobType.FETCH);
        assertThat(dump.targets()).extracting(Target::name).containsExactly("db-1", "db-2");
        assertThat(dump.serial()).isEqualTo(new Limit(50, true));
        assertThat(dump.serial().of(2)).isEqualTo(1);
        assertThat(dump.maxFailures()).isEqualTo(new Limit(1, false));
        assertThat(dump.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(dump.paths()).containsExactly("/var/my dumps/*.gz");
        assertThat(dump.destination()).isEqualTo(dir.resolve("state").resolve("backups"));
        assertThat(dump.keep()).isEqualTo(new JobSettings.Keep(3, Duration.ofDays(30)));
        assertThat(dump.noFiles()).isEqualTo(JobSettings.NoFiles.FAIL);
        JobSettings clean = settings.jobs().get("clean");
        assertThat(clean.targets()).hasSize(3);
        assertThat(clean.okExitCodes()).containsExactlyInAnyOrder(0, 1);
        assertThat(clean.schedule()).isNull();
        assertThat(clean.maxFailures().of(3)).isEqualTo(2);
    }

    @Test
    void aShareIsRoundedUp() {
        assertThat(new Limit(20, true).of(11)).isEqualTo(3);
        assertThat(new Limit(1, true).of(3)).isEqualTo(1);
        assertThat(new Limit(100, true).of(7)).isEqualTo(7);
    }
}
