package dev.patrol.core.config;

import static dev.patrol.core.config.ConfigTesting.loader;
import static dev.patrol.core.config.ConfigTesting.problems;
import static dev.patrol.core.config.ConfigTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.patrol.api.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private static final String TARGETS =
            """
            patrol.targets {
              web-1 { host = "10.0.0.11", labels { role = web, env = prod } }
              web-2 { host = "10.0.0.12", port = 2222, labels { role = web, env = staging } }
              db-1 { host = "10.0.0.21", labels { role = db, env = prod } }
            }
            """;

    @Nested
    class Defaults {
        @Test
        void anEmptyFileGivesTheReferenceDefaults() {
            PatrolSettings settings = loader().load(write(dir, "patrol.conf", ""));

            assertThat(settings.web()).isEqualTo(new WebSettings("127.0.0.1", 9740, 16, 512, 30_000, 10_000));
            assertThat(settings.limits()).isEqualTo(new LimitsSettings(10_000, 64, 5_000, 8, 8));
            assertThat(settings.stateDir()).isEqualTo(Path.of("/var/lib/patrol"));
            assertThat(settings.pluginsDir()).isEqualTo(dir.resolve("plugins.d"));
            assertThat(settings.targets()).isEmpty();
            assertThat(settings.checks()).isEmpty();
            assertThat(settings.source()).isEqualTo(dir.resolve("patrol.conf"));
        }

        @Test
        void theCoreKeysOfTheDesignExampleLoad() {
            PatrolSettings settings = loader().load(
                            write(
                                    dir,
                                    "patrol.conf",
                                    """
                    patrol {
                      web.listen = "127.0.0.1:9740"
                      state-dir = "/var/lib/patrol"
                      defaults { interval = 30s, timeout = 10s, retries = 0 }
                      ssh { user = "patrol", identity-file = "/etc/patrol/id_ed25519", known-hosts = "/etc/patrol/known_hosts" }
                      targets {
                        web-1 { host = "10.0.0.11", port = 22, labels { env = "prod", role = "web" }, ssh.user = monitor }
                      }
                    }
                    """));

            assertThat(settings.targets().get("web-1").settings().getString("ssh.user"))
                    .isEqualTo("monitor");
            assertThat(settings.config().getString("patrol.ssh.identity-file")).isEqualTo("/etc/patrol/id_ed25519");
        }

        @Test
        void relativeDirectoriesAreTakenFromTheMainFilesFolder() {
            PatrolSettings settings =
                    loader().load(write(dir, "etc/patrol.conf", "patrol { state-dir = state, plugins-dir = ext }"));

            assertThat(settings.stateDir()).isEqualTo(dir.resolve("etc/state"));
            assertThat(settings.pluginsDir()).isEqualTo(dir.resolve("etc/ext"));
        }

        @Test
        void listenTakesIpv6InBrackets() {
            PatrolSettings settings = loader().load(write(dir, "patrol.conf", "patrol.web.listen = \"[::1]:0\""));

            assertThat(settings.web().host()).isEqualTo("::1");
            assertThat(settings.web().port()).isZero();
        }

        @Test
        void aCheckFallsBackToItsPluginDefaultsThenToPatrolDefaults() {
            PatrolSettings settings = loader().load(
                            write(
                                    dir,
                                    "patrol.conf",
                                    """
                    patrol {
                      defaults { timeout = 5s, retries = 2 }
                      plugin-defaults.probe { expect.status = 204, retries = 1 }
                      checks {
                        homepage { type = probe, url = "https://shop.example.com/" }
                        api { type = probe, url = "https://api.example.com/", expect.status = 201, timeout = 3s }
                      }
                    }
                    """));

            CheckSettings homepage = settings.checks().get("homepage");
            assertThat(homepage.timeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(homepage.retries()).isEqualTo(1);
            assertThat(homepage.interval()).isEqualTo(Duration.ofSeconds(30));
            assertThat(homepage.retryInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(((ProbePlugin.Probe) homepage.definition()).status()).isEqualTo(204);
            CheckSettings api = settings.checks().get("api");
            assertThat(api.timeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(((ProbePlugin.Probe) api.definition()).status()).isEqualTo(201);
        }

        @Test
        void commonKeysAreRead() {
            PatrolSettings settings = loader().load(
                            write(
                                    dir,
                                    "patrol.conf",
                                    TARGETS
                                            + """
                    patrol.checks.disk {
                      type = ping
                      targets = "*"
                      cron = "0 0/5 * * * ?"
                      retries = 3
                      retry-interval = 250ms
                      labels { team = storage }
                      expose-labels = [role]
                      description = "Root file system"
                    }
                    """));

            CheckSettings disk = settings.checks().get("disk");
            assertThat(disk.type()).isEqualTo("ping");
            assertThat(disk.cron()).isEqualTo("0 0/5 * * * ?");
            assertThat(disk.retries()).isEqualTo(3);
            assertThat(disk.retryInterval()).isEqualTo(Duration.ofMillis(250));
            assertThat(disk.labels()).isEqualTo(Map.of("team", "storage"));
            assertThat(disk.exposeLabels()).containsExactly("role");
            assertThat(disk.block().getString("description")).isEqualTo("Root file system");
        }

        @Test
        void aTimeoutLongerThanTheIntervalIsAllowed() {
            PatrolSettings settings = loader().load(
                            write(
                                    dir,
                                    "patrol.conf",
                                    """
                    patrol.checks.slow { type = probe, url = "https://shop.example.com/", interval = 10s, timeout = 1m }
                    """));

            assertThat(settings.checks().get("slow").timeout()).isEqualTo(Duration.ofMinutes(1));
        }
    }

    @Nested
    class Selectors {
        private List<String> targetsOf(String selector) {
            PatrolSettings settings = loader().load(write(
                    dir, "patrol.conf", TARGETS + "patrol.checks.c { type = ping, targets = " + selector + " }\n"));
            return settings.checks().get("c").targets().stream()
                    .map(Target::name)
                    .toList();
        }

        @Test
        void starSelectsEveryTargetByName() {
            assertThat(targetsOf("\"*\"")).containsExactly("db-1", "web-1", "web-2");
        }

        @Test
        void aListSelectsThoseNamesInItsOrder() {
            assertThat(targetsOf("[web-2, db-1, web-2]")).containsExactly("web-2", "db-1");
        }

        @Test
        void aStringIsAListOfOne() {
            assertThat(targetsOf("web-1")).containsExactly("web-1");
        }

        @Test
        void labelsMatchEveryEntry() {
            assertThat(targetsOf("{ role = web, env = prod }")).containsExactly("web-1");
        }

        @Test
        void aLabelValueMayBeAListOfAllowedValues() {
            assertThat(targetsOf("{ env = [prod, staging], role = web }")).containsExactly("web-1", "web-2");
        }

        @Test
        void targetsCarryTheirWholeMergedBlock() {
            PatrolSettings settings = loader().load(write(dir, "patrol.conf", TARGETS));

            Target web2 = settings.targets().get("web-2");
            assertThat(web2.host()).isEqualTo("10.0.0.12");
            assertThat(web2.port()).isEqualTo(2222);
            assertThat(web2.labels()).isEqualTo(Map.of("role", "web", "env", "staging"));
            assertThat(settings.targets().get("web-1").port()).isEqualTo(22);
            assertThat(web2.settings().getInt("port")).isEqualTo(2222);
        }

        @Test
        void aCheckWithItsOwnEndpointRunsAgainstItsImplicitTarget() {
            PatrolSettings settings = loader().load(
                            write(
                                    dir,
                                    "patrol.conf",
                                    """
                    patrol.checks.homepage { type = probe, url = "https://shop.example.com:8443/health" }
                    """));

            assertThat(settings.checks().get("homepage").targets())
                    .containsExactly(Target.of("shop.example.com", "shop.example.com", 8443));
        }
    }

    @Nested
    class ConfD {
        @Test
        void filesBesideTheMainFileMergeInSortedOrderLaterWinning() {
            Path main = write(
                    dir,
                    "patrol.conf",
                    TARGETS
                            + """
                    patrol.checks.homepage { type = probe, url = "https://shop.example.com/" }
                    """);
            write(dir, "conf.d/20-slower.conf", "patrol.checks.homepage.interval = 2m\n");
            write(
                    dir,
                    "conf.d/10-slow.conf",
                    "patrol.checks.homepage.interval = 1m\npatrol.checks.homepage.timeout = 20s\n");
            write(dir, "conf.d/30-disk.conf", "patrol.checks.disk { type = ping, targets = { role = db } }\n");
            write(dir, "conf.d/README.txt", "not a config file {");

            PatrolSettings settings = loader().load(main);

            assertThat(settings.checks()).containsOnlyKeys("homepage", "disk");
            assertThat(settings.checks().get("homepage").interval()).isEqualTo(Duration.ofMinutes(2));
            assertThat(settings.checks().get("homepage").timeout()).isEqualTo(Duration.ofSeconds(20));
        }

        @Test
        void aBlockDefinedInTwoFilesIsRejected() {
            Path main = write(dir, "patrol.conf", "patrol.targets.web-1 { host = \"10.0.0.11\" }\n");
            write(dir, "conf.d/10-web.conf", "patrol {\n  targets {\n    web-1 { host = \"10.0.0.12\" }\n  }\n}\n");

            assertThat(problems(main, dir))
                    .containsExactly("conf.d/10-web.conf:3: patrol.targets.web-1: is defined twice, first at"
                            + " patrol.conf:1; define each block once");
        }

        @Test
        void aFileAnEarlierOneIncludesIsNotMergedAgain() {
            Path main = write(dir, "patrol.conf", "patrol.web.max-threads = 8\n");
            write(dir, "conf.d/10-web.conf", "include \"20-targets.conf\"\npatrol.web.max-threads = 9\n");
            write(dir, "conf.d/20-targets.conf", TARGETS + "patrol.web.max-threads = 10\n");

            PatrolSettings settings = loader().load(main);

            assertThat(settings.targets()).containsOnlyKeys("db-1", "web-1", "web-2");
            assertThat(settings.web().maxThreads()).isEqualTo(9);
        }

        @Test
        void aFileTheMainFileIncludesIsNotMergedAgain() {
            Path main = write(dir, "patrol.conf", "include \"conf.d/*.conf\"\n");
            write(dir, "conf.d/10-web.conf", TARGETS);

            assertThat(loader().load(main).targets()).containsOnlyKeys("db-1", "web-1", "web-2");
        }
    }

    @Nested
    class Includes {
        @Test
        void aGlobIncludesEveryMatchInSortedOrderLaterWinning() {
            Path main = write(dir, "patrol.conf", "include \"targets.d/*.conf\"\npatrol.state-dir = /srv/patrol\n");
            write(dir, "targets.d/b.conf", "patrol.web.max-threads = 32\npatrol.targets.b { host = b.example }\n");
            write(dir, "targets.d/a.conf", "patrol.web.max-threads = 8\npatrol.targets.a { host = a.example }\n");

            PatrolSettings settings = loader().load(main);

            assertThat(settings.targets()).containsOnlyKeys("a", "b");
            assertThat(settings.web().maxThreads()).isEqualTo(32);
        }

        @Test
        void aGlobInsideABlockIncludesUnderIt() {
            Path main = write(dir, "etc/patrol.conf", "patrol.checks {\n  include \"checks/*.conf\"\n}\n");
            write(dir, "etc/checks/shop.conf", "homepage { type = probe, url = \"https://shop.example.com/\" }\n");
            write(dir, "etc/checks/api.conf", "api { type = probe, url = \"https://api.example.com/\" }\n");

            assertThat(loader().load(main).checks()).containsOnlyKeys("api", "homepage");
        }

        @Test
        void aGlobThatMatchesNothingIncludesNothing() {
            Path main = write(dir, "patrol.conf", "include \"nothing-here/*.conf\"\n");

            assertThat(loader().load(main).checks()).isEmpty();
        }

        @Test
        void aPlainIncludeStillTakesOneFile() {
            Path main = write(dir, "patrol.conf", "include \"web\"\n");
            write(dir, "web.conf", TARGETS);

            assertThat(loader().load(main).targets()).hasSize(3);
        }

        @Test
        void twoFilesOfOneGlobDefiningTheSameCheckAreRejected() {
            Path main = write(dir, "patrol.conf", "patrol.checks {\n  include \"checks/*.conf\"\n}\n");
            write(dir, "checks/a.conf", "homepage { type = probe, url = \"https://a.example.com/\" }\n");
            write(dir, "checks/b.conf", "\nhomepage { type = probe, url = \"https://b.example.com/\" }\n");

            assertThat(problems(main, dir))
                    .containsExactly("checks/b.conf:2: patrol.checks.homepage: is defined twice, first at"
                            + " checks/a.conf:1; define each block once");
        }
    }

    @Nested
    class Environment {
        @Test
        void substitutionsFallBackToEnvironmentVariables() {
            String home = System.getenv("HOME");
            assumeTrue(home != null && home.startsWith("/"), "needs HOME");
            Path main = write(
                    dir,
                    "patrol.conf",
                    """
                    patrol.state-dir = ${HOME}/patrol-state
                    patrol.web.listen = "127.0.0.1:9740"
                    patrol.web.listen = ${?PATROL_TEST_SURELY_UNSET_VARIABLE}
                    """);

            PatrolSettings settings = loader().load(main);

            assertThat(settings.stateDir()).isEqualTo(Path.of(home, "patrol-state"));
            assertThat(settings.web().port()).isEqualTo(9740);
        }

        @Test
        void substitutionsSeeReferenceDefaults() {
            Path main = write(dir, "patrol.conf", "patrol.defaults.retry-interval = ${patrol.defaults.timeout}\n");

            assertThat(loader().load(main).config().getDuration("patrol.defaults.retry-interval"))
                    .isEqualTo(Duration.ofSeconds(10));
        }
    }

    @Nested
    class Templates {
        @Test
        void blocksMayBeBuiltFromATemplateOutsidePatrol() {
            Path main = write(
                    dir,
                    "patrol.conf",
                    """
                    templates.web { port = 2222, labels { role = web } }
                    patrol.targets {
                      web-1 = ${templates.web} { host = "10.0.0.11" }
                      web-2 = ${templates.web} { host = "10.0.0.12" }
                    }
                    """);

            PatrolSettings settings = loader().load(main);

            assertThat(settings.targets().values()).extracting(Target::port).containsExactly(2222, 2222);
        }

        @Test
        void aTemplatesKeysAreCheckedWhereItIsUsed() {
            Path main = write(
                    dir,
                    "patrol.conf",
                    """
                    templates.web { prot = 2222 }
                    patrol.targets.web-1 = ${templates.web} { host = "10.0.0.11" }
                    """);

            assertThat(problems(main, dir))
                    .containsExactly("patrol.conf:1: patrol.targets.web-1.prot: unknown key, did you mean 'port'?");
        }
    }

    @Test
    void aMissingMainFileIsAProblem() {
        assertThat(problems(dir.resolve("nope.conf"), dir))
                .containsExactly("nope.conf: file: expected a readable config file, it does not exist");
    }
}
