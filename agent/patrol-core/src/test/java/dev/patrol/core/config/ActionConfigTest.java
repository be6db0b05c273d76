package dev.patrol.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.Status;
import dev.patrol.api.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActionConfigTest {
    @TempDir
    Path dir;

    @Test
    void readsAnActionOverItsDefaults() {
        Path file = ConfigTesting.writeWithSshFiles(
                dir,
                "etc/patrol.conf",
                """
                patrol {
                  ssh { identity-file = "/etc/patrol/id_ed25519" }
                  targets {
                    web-1 { host = "10.0.0.11", labels { role = "web" } }
                    db-1 { host = "10.0.0.21", labels { role = "db" } }
                  }
                  checks { up { type = ping, targets = "*", max-attempts = 3, soft-interval = 5s } }
                  actions {
                    restart { on { check = up, status = [critical, unknown], targets { role = "web" } }, run = "restart {target}" }
                    drain { on { check = up }, http { url = "https://lb.example.com/drain/{target}" }, dry-run = true }
                  }
                  action-limits { max-concurrent = 2, kill-switch-file = "actions.disabled" }
                }
                """);

        PatrolSettings settings = ConfigTesting.loader().load(file);

        ActionSettings restart = settings.actions().get("restart");
        assertThat(restart.statuses()).isEqualTo(Set.of(Status.CRITICAL, Status.UNKNOWN));
        assertThat(restart.targets()).extracting(Target::name).containsExactly("web-1");
        assertThat(restart.where()).isEqualTo(ActionSettings.Where.SSH);
        assertThat(restart.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(restart.maxPerHour()).isEqualTo(3);
        assertThat(restart.cooldown()).isEqualTo(Duration.ofMinutes(10));
        assertThat(restart.dryRun()).isFalse();
        ActionSettings drain = settings.actions().get("drain");
        assertThat(drain.run()).isNull();
        assertThat(drain.http().method()).isEqualTo("POST");
        assertThat(drain.statuses()).containsExactly(Status.CRITICAL);
        assertThat(drain.targets()).hasSize(2);
        assertThat(drain.dryRun()).isTrue();
        assertThat(settings.actionLimits().maxConcurrent()).isEqualTo(2);
        assertThat(settings.actionLimits().killSwitchFile()).isEqualTo(dir.resolve("etc/actions.disabled"));
        CheckSettings up = settings.checks().get("up");
        assertThat(up.state()).isEqualTo(new StateSettings(3, Duration.ofSeconds(5), 50, 25));
    }
}
