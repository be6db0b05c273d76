package dev.patrol.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.typesafe.config.Config;
import dev.patrol.api.CheckContext;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckPlugin;
import dev.patrol.api.CheckResult;
import dev.patrol.api.Target;
import dev.patrol.core.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH files a check needs are checked at load time. A missing file the user never named (the default
 * known-hosts of a first config) is reported at the user's own file, where they can act, and says it is the default;
 * a file the user named is reported where they wrote it.
 */
class SshFilesConfigTest {
    private static final String DEFAULT_KNOWN_HOSTS = "/etc/patrol/known_hosts";

    @TempDir
    Path dir;

    @Test
    void aMissingDefaultKnownHostsIsReportedAtTheCheckThatNeedsIt() {
        assumeThat(Files.exists(Path.of(DEFAULT_KNOWN_HOSTS)))
                .as("this machine has the default file")
                .isFalse();
        Path file = ConfigTesting.write(
                dir,
                "patrol.conf",
                """
                patrol {
                  targets {
                    db-1 { host = "10.0.0.21", labels { role = db } }
                    web-1 { host = "10.0.0.31" }
                  }
                  checks {
                    reachable { type = ping, targets = "*" }
                    disk {
                      type = shell
                      targets = { role = db }
                    }
                  }
                }
                """);

        assertThat(problems(file))
                .containsExactly(
                        "patrol.conf:8: patrol.ssh.known-hosts: expected a readable known_hosts file, '"
                                + DEFAULT_KNOWN_HOSTS
                                + "' is missing or unreadable (host-key-policy = strict refuses every"
                                + " host then); it is the default: set patrol.ssh.known-hosts, or host-key-policy = accept-new");
    }

    @Test
    void aJobOverSshNeedsTheFilesAsACheckDoes() {
        Path missingKey = dir.resolve("id_ed25519");
        Path file = ConfigTesting.write(
                dir,
                "patrol.conf",
                """
                patrol {
                  ssh {
                    identity-file = "%s"
                    host-key-policy = accept-new
                  }
                  targets {
                    db-1 { host = "10.0.0.21", labels { role = db } }
                    web-1 { host = "10.0.0.31" }
                  }
                  checks { reachable { type = ping, targets = "*" } }
                  jobs {
                    dump {
                      type = fetch
                      targets = { role = db }
                      paths = ["/var/backups/orders.sql.gz"]
                    }
                  }
                }
                """
                        .formatted(missingKey));

        assertThat(problems(file)).singleElement().asString().startsWith("patrol.conf:3: patrol.ssh.identity-file: ");
    }

    @Test
    void aMissingKnownHostsTheUserNamedIsReportedWhereTheyWroteIt() {
        Path missing = dir.resolve("known_hosts");
        Path file = ConfigTesting.write(
                dir,
                "patrol.conf",
                """
                patrol {
                  ssh {
                    user = patrol
                    known-hosts = "%s"
                  }
                  targets { db-1 { host = "10.0.0.21" } }
                  checks { disk { type = shell, targets = [db-1] } }
                }
                """
                        .formatted(missing));

        // The test's folder is cut from every line, the message's path included.
        assertThat(problems(file))
                .containsExactly("patrol.conf:4: patrol.ssh.known-hosts: expected a readable known_hosts file,"
                        + " 'known_hosts' is missing or unreadable (host-key-policy = strict refuses every host then)");
    }

    @Test
    void noSshCheckNeedsNoKnownHosts() throws Exception {
        Path file = ConfigTesting.write(
                dir,
                "patrol.conf",
                """
                patrol {
                  targets { web-1 { host = "10.0.0.31" } }
                  checks { reachable { type = ping, targets = "*" } }
                }
                """);

        assertThat(loader().load(file).checks()).containsOnlyKeys("reachable");
    }

    private List<String> problems(Path file) {
        return ConfigTesting.problems(loader(), file, dir);
    }

    private static ConfigLoader loader() {
        return ConfigLoader.with(new PluginRegistry(List.of(new PingPlugin(), new ShellPlugin())));
    }

    /** A check type that runs over SSH, so the loader checks the target's SSH files. */
    private static final class ShellPlugin implements CheckPlugin {
        @Override
        public String type() {
            return "shell";
        }

        @Override
        public CheckDefinition parse(Config block) {
            return new CheckDefinition() {
                @Override
                public CompletionStage<CheckResult> run(Target target, CheckContext context) {
                    return CompletableFuture.completedFuture(CheckResult.ok("ran"));
                }

                @Override
                public boolean usesSsh() {
                    return true;
                }
            };
        }
    }
}
