package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.testing.TestPorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One install of the patrol package on this machine, step by step, for {@link PackageDebIT}: dependencies, install,
 * running the agent as the unit does, a local config edit, an upgrade and the purge. Not thread-safe.
 */
final class PackageInstall {
    private static final Path CONFIG = Path.of("/etc/patrol/patrol.conf");
    private static final Path DEFAULTS = Path.of("/etc/default/patrol");
    private static final Path STATE = Path.of("/var/lib/patrol");
    private static final String SHIPPED_LISTEN = "web.listen = \"127.0.0.1:9740\"";
    private static final Path ENABLED_LINK = Path.of("/etc/systemd/system/multi-user.target.wants/patrol.service");

    private static final Path ADMIN_KEY = Path.of("/etc/patrol/id_ed25519");

    private final Path dir;
    private String purgeOutput = "";
    private final List<Process> agents = new ArrayList<>();
    private int runs;
    private String uid;

    PackageInstall(Path dir) {
        this.dir = dir;
    }

    /** Leaves a machine alone that has patrol installed or a patrol user of its own; CI machines are wiped. */
    void requireCleanMachine() throws Exception {
        boolean installed = isKnownToDpkg();
        boolean user = PackageCommands.run("getent", "passwd", "patrol").exitCode() == 0;
        if (PackageCommands.inCi()) {
            // A run that was killed before its cleanup may have left the package behind.
            purge();
            return;
        }
        assumeThat(installed)
                .as("patrol is already installed here; the test would purge it")
                .isFalse();
        assumeThat(user)
                .as("a user patrol exists here; the purge would delete it")
                .isFalse();
    }

    /** The package's Depends: a Java 17 runtime and adduser, installed from Debian if missing. */
    void installDependencies() throws Exception {
        String installed = PackageCommands.run("dpkg-query", "-W", "-f=${db:Status-Abbrev} ${Package} ${Provides}\n")
                .ok()
                .output();
        List<String> packages =
                installed.lines().filter(line -> line.startsWith("ii ")).toList();
        List<String> missing = new ArrayList<>();
        if (packages.stream()
                .noneMatch(
                        line -> line.contains("java17-runtime-headless") || line.contains(" default-jre-headless "))) {
            missing.add("default-jre-headless");
        }
        if (packages.stream().noneMatch(line -> line.startsWith("ii  adduser ") || line.startsWith("ii adduser "))) {
            missing.add("adduser");
        }
        if (!missing.isEmpty()) {
            PackageCommands.run("apt-get", "update", "-qq").ok();
            List<String> command = new ArrayList<>(List.of("apt-get", "install", "-y", "--no-install-recommends"));
            command.addAll(missing);
            PackageCommands.run(command.toArray(String[]::new)).ok();
        }
    }

    void install(Path deb) throws Exception {
        System.out.println(
                PackageCommands.run("dpkg", "-i", deb.toString()).ok().output());
        stopServiceIfSystemdRuns();
    }

    void assertInstalled(String version) throws Exception {
        assertThat(PackageCommands.run("dpkg-query", "-W", "-f=${Version} ${db:Status-Abbrev}", "patrol")
                        .ok()
                        .output())
                .isEqualTo(version + " ii ");
        String passwd =
                PackageCommands.run("getent", "passwd", "patrol").ok().output().strip();
        assertThat(passwd.split(":")).satisfies(fields -> {
            assertThat(fields[5]).as("home").isEqualTo("/var/lib/patrol");
            assertThat(fields[6]).as("shell").isEqualTo("/usr/sbin/nologin");
            assertThat(Integer.parseInt(fields[2])).as("a system uid").isLessThan(1000);
        });
        uid = passwd.split(":")[2];
        PackageCommands.run("getent", "group", "patrol").ok();

        PosixFileAttributes state = PackageDebIT.attributes(STATE);
        assertThat(state.owner().getName()).isEqualTo("patrol");
        assertThat(state.group().getName()).isEqualTo("patrol");
        assertThat(PackageDebIT.mode(STATE)).isEqualTo("rwxr-x---");
        assertThat(PackageDebIT.attributes(DEFAULTS).group().getName()).isEqualTo("patrol");
        assertThat(PackageDebIT.mode(DEFAULTS)).isEqualTo("rw-r-----");
        assertThat(Path.of("/usr/bin/patrol")).isExecutable();
        if (PackageCommands.onPath("deb-systemd-helper")) {
            assertThat(Files.isSymbolicLink(ENABLED_LINK))
                    .as("enabled: %s", ENABLED_LINK)
                    .isTrue();
        }
    }

    /** The local edit the upgrade must keep: the agent moves to a free port, out of the way of anything on 9740. */
    int editListenPort() throws Exception {
        int port = TestPorts.free();
        String shipped = Files.readString(CONFIG, StandardCharsets.UTF_8);
        assertThat(shipped).contains(SHIPPED_LISTEN);
        Files.writeString(CONFIG, shipped.replace(SHIPPED_LISTEN, listen(port)), StandardCharsets.UTF_8);
        return port;
    }

    /**
     * Starts the agent exactly as patrol.service does, without systemd: as user patrol, in /var/lib/patrol, with
     * umask 0027 and the environment of /etc/default/patrol; waits for its self-check to report up; stops it.
     */
    void runAgentAndScrape(int port) throws Exception {
        Path log = dir.resolve("agent-" + (++runs) + ".log");
        ProcessBuilder builder = new ProcessBuilder(
                        "/bin/sh",
                        "-c",
                        "umask 0027 && exec runuser -u patrol -- /usr/bin/patrol run --config /etc/patrol/patrol.conf")
                .directory(STATE.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        builder.environment().put("LANG", "C.UTF-8");
        builder.environment().putAll(environmentFile(DEFAULTS));
        Process agent = builder.start();
        agents.add(agent);
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> Scrape.get(port, "/-/ready").contains("Ready"));
            ProcessHandle java = agent.descendants()
                    .filter(process -> process.info().command().orElse("").endsWith("java"))
                    .findFirst()
                    .orElseThrow();
            assertThat(java.info().user()).contains("patrol");
            java.info().arguments().ifPresent(arguments -> assertThat(arguments)
                    .as("JAVA_OPTS from /etc/default/patrol")
                    .contains("-Xmx256m"));
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .until(() -> Scrape.sum(Scrape.metrics(port), "patrol_check_up", "check=\"agent-health\"") == 1.0);
            String metrics = Scrape.metrics(port);
            assertThat(metrics).contains("patrol_check_runs_total{check=\"agent-health\"");
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("agent log:\n" + Files.readString(log, StandardCharsets.UTF_8), e);
        } finally {
            stop(agent);
        }
    }

    void upgradeKeepingLocalConfig(Path newer, int port) throws Exception {
        System.out.println(PackageCommands.run("dpkg", "-i", "--force-confold", newer.toString())
                .ok()
                .output());
        stopServiceIfSystemdRuns();
        assertThat(PackageCommands.run("dpkg-query", "-W", "-f=${Version}", "patrol")
                        .ok()
                        .output())
                .endsWith("+upgrade1");
        String config = Files.readString(CONFIG, StandardCharsets.UTF_8);
        assertThat(config).contains(listen(port)).doesNotContain(PackageRepack.UPGRADE_MARKER);
        assertThat(Files.readString(Path.of(CONFIG + ".dpkg-dist"), StandardCharsets.UTF_8))
                .contains(PackageRepack.UPGRADE_MARKER);
        assertThat(PackageCommands.run("id", "-u", "patrol").ok().output().strip())
                .as("the upgrade keeps the user")
                .isEqualTo(uid);
    }

    void purge() throws Exception {
        for (Process agent : agents) {
            stop(agent);
        }
        if (isKnownToDpkg()) {
            purgeOutput = PackageCommands.run("dpkg", "--purge", "patrol").ok().output();
            System.out.println(purgeOutput);
        }
    }

    /** What an admin adds after the install, as docs/operations.md says: the agent's SSH key, owned by patrol. */
    void addKeyOwnedByPatrol() throws Exception {
        Files.writeString(ADMIN_KEY, "not a real key, only its owner matters here\n", StandardCharsets.UTF_8);
        PackageCommands.run("chown", "patrol:patrol", ADMIN_KEY.toString()).ok();
        PackageCommands.run("chmod", "0600", ADMIN_KEY.toString()).ok();
    }

    /**
     * After the purge, /etc/patrol is kept for the key added by hand, which now belongs to root rather than to the
     * deleted patrol ids; the purge said so, and deluser's crontab warning is not passed on. Then removes the kept
     * folder, as the admin would.
     */
    void assertKeptFilesBelongToRoot() throws Exception {
        assertThat(purgeOutput)
                .contains("patrol: kept /etc/patrol", "now belongs to root")
                .doesNotContain("crontab");
        PosixFileAttributes key = PackageDebIT.attributes(ADMIN_KEY);
        assertThat(key.owner().getName()).isEqualTo("root");
        assertThat(key.group().getName()).isEqualTo("root");
        assertThat(PackageDebIT.mode(ADMIN_KEY)).isEqualTo("rw-------");
        PackageCommands.run("rm", "-rf", "/etc/patrol").ok();
    }

    void assertPurged() throws Exception {
        assertThat(isKnownToDpkg()).isFalse();
        assertThat(PackageCommands.run("getent", "passwd", "patrol").exitCode()).isEqualTo(2);
        assertThat(PackageCommands.run("getent", "group", "patrol").exitCode()).isEqualTo(2);
        for (String path : List.of(
                "/var/lib/patrol",
                "/usr/share/patrol",
                "/usr/share/doc/patrol",
                "/usr/bin/patrol",
                "/etc/patrol",
                "/etc/default/patrol",
                "/lib/systemd/system/patrol.service",
                ENABLED_LINK.toString(),
                "/var/lib/systemd/deb-systemd-helper-masked/patrol.service")) {
            assertThat(Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS))
                    .as("%s is gone", path)
                    .isFalse();
        }
        Path enabledState = Path.of("/var/lib/systemd/deb-systemd-helper-enabled");
        if (Files.isDirectory(enabledState)) {
            try (Stream<Path> files = Files.walk(enabledState)) {
                assertThat(files.map(Path::toString)).noneMatch(name -> name.contains("patrol"));
            }
        }
    }

    private static String listen(int port) {
        return "web.listen = \"127.0.0.1:" + port + "\"";
    }

    private static boolean isKnownToDpkg() throws Exception {
        PackageCommands.Result status = PackageCommands.run("dpkg-query", "-W", "-f=${db:Status-Abbrev}", "patrol");
        // "un" (unknown) or no record at all: nothing to purge. "ii", "rc", half-installed states: something is there.
        return status.exitCode() == 0 && !status.output().startsWith("un");
    }

    /** On a machine where systemd runs, postinst starts the service; this test runs the agent itself. */
    private static void stopServiceIfSystemdRuns() throws Exception {
        if (Files.isDirectory(Path.of("/run/systemd/system"))) {
            PackageCommands.run("systemctl", "stop", "patrol.service");
        }
    }

    private static void stop(Process agent) throws InterruptedException {
        // SIGTERM to the JVM, as systemd's stop does; runuser then exits with it.
        agent.descendants().forEach(ProcessHandle::destroy);
        agent.destroy();
        if (!agent.waitFor(30, TimeUnit.SECONDS)) {
            agent.descendants().forEach(ProcessHandle::destroyForcibly);
            agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** KEY=VALUE lines as systemd's EnvironmentFile reads them: comments skipped, one level of quotes removed. */
    static Map<String, String> environmentFile(Path file) throws IOException {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String trimmed = line.strip();
            int equals = trimmed.indexOf('=');
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";") || equals < 1) {
                continue;
            }
            String value = trimmed.substring(equals + 1).strip();
            if (value.length() >= 2
                    && (value.startsWith("\"") && value.endsWith("\"")
                            || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            environment.put(trimmed.substring(0, equals).strip(), value);
        }
        return environment;
    }
}
