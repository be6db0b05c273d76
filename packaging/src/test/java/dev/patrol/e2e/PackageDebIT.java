package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package: its contents and metadata, the hardening of its systemd unit, and a real install, run, upgrade
 * and purge on this machine.
 *
 * <p>The install test changes the machine (a package, a system user), so it runs only as root and only where asked:
 * in CI ({@code CI=true}) or with {@code PATROL_PACKAGE_TESTS=1}. It purges the package in any case when done.
 */
class PackageDebIT {
    private static final Path UNIT = Path.of("src/systemd/patrol.service").toAbsolutePath();
    private static final Path COPYRIGHT = Path.of("src/deb/copyright").toAbsolutePath();
    private static final double MAX_EXPOSURE = 2.5;

    @Test
    void debHasTheFilesModesConffilesAndDependencies() throws Exception {
        requireTool("dpkg-deb");
        Path deb = PackageCommands.deb();

        assertThat(PackageCommands.run("dpkg-deb", "-f", deb.toString(), "Package", "Version", "Architecture")
                        .ok()
                        .output())
                .contains("Package: patrol", "Version: " + PackageCommands.debianVersion(), "Architecture: all");
        String depends = PackageCommands.run("dpkg-deb", "-f", deb.toString(), "Depends")
                .ok()
                .output()
                .strip();
        assertThat(depends).contains("default-jre-headless (>= 2:1.17) | java17-runtime-headless", "adduser");

        List<String> contents = Arrays.asList(PackageCommands.run("dpkg-deb", "-c", deb.toString())
                .ok()
                .output()
                .split("\n"));
        assertEntry(contents, "-rwxr-xr-x", "./usr/bin/patrol");
        assertEntry(contents, "-rwxr-xr-x", "./usr/share/patrol/bin/patrol");
        assertEntry(contents, "-rw-r--r--", "./usr/share/patrol/patrol.jar");
        assertEntry(contents, "-rw-r--r--", "./usr/share/patrol/monitoring/patrol-alerts.yml");
        assertEntry(contents, "-rw-r--r--", "./usr/share/patrol/monitoring/patrol-overview.json");
        assertEntry(contents, "-rw-r--r--", "./etc/patrol/patrol.conf");
        assertEntry(contents, "drwxr-xr-x", "./etc/patrol/conf.d/");
        assertEntry(contents, "drwxr-xr-x", "./etc/patrol/plugins.d/");
        assertEntry(contents, "-rw-r-----", "./etc/default/patrol");
        assertEntry(contents, "-rw-r--r--", "./lib/systemd/system/patrol.service");
        assertEntry(contents, "-rw-r--r--", "./usr/share/doc/patrol/examples/database-ssh.conf");
        assertThat(contents)
                .filteredOn(line -> line.contains("./usr/share/patrol/lib/") && line.endsWith(".jar"))
                .hasSizeGreaterThan(5)
                .allMatch(line -> line.startsWith("-rw-r--r-- root/root"));
        assertThat(contents).noneMatch(line -> line.contains("/var/lib/patrol"));
        assertEntry(contents, "-rw-r--r--", "./usr/share/doc/patrol/copyright");
        List<String> libraries = contents.stream()
                .map(line -> line.substring(line.lastIndexOf(" ./") + 3))
                .filter(path ->
                        path.startsWith("usr/share/patrol/lib/") && path.endsWith(".jar") && !path.contains("/patrol-"))
                .toList();
        List<String> patterns = copyrightPatterns().stream()
                .filter(pattern -> !pattern.equals("*"))
                .toList();
        assertThat(libraries).isNotEmpty().allSatisfy(library -> assertThat(patterns)
                .as("a Files: stanza of %s naming the license of %s", COPYRIGHT, library)
                .anyMatch(pattern -> globMatches(pattern, library)));
        // And no stanza for a library that is no longer shipped (a dropped or renamed dependency).
        assertThat(patterns).allSatisfy(pattern -> assertThat(libraries)
                .as("a jar in the package for the Files: pattern %s of %s", pattern, COPYRIGHT)
                .anyMatch(library -> globMatches(pattern, library)));

        String conffiles = PackageCommands.run("dpkg-deb", "-I", deb.toString(), "conffiles")
                .ok()
                .output();
        assertThat(conffiles.lines().map(String::strip).toList())
                .containsExactlyInAnyOrder("/etc/patrol/patrol.conf", "/etc/default/patrol");
        String info = PackageCommands.run("dpkg-deb", "-I", deb.toString()).ok().output();
        // dpkg-deb marks executable control members with '*'.
        assertThat(info)
                .containsPattern("\\*\\s+postinst")
                .containsPattern("\\*\\s+prerm")
                .containsPattern("\\*\\s+postrm");
    }

    @Test
    void unitIsHardenedWithExposureAtMostTwoAndAHalf() throws Exception {
        requireTool("systemd-analyze");
        String unit = Files.readString(UNIT, StandardCharsets.UTF_8);
        assertThat(unit)
                .contains("ExecStart=/usr/bin/patrol run --config /etc/patrol/patrol.conf")
                .contains("ExecReload=/bin/kill -HUP $MAINPID")
                .contains("User=patrol")
                .contains("EnvironmentFile=-/etc/default/patrol")
                .doesNotContainPattern("(?m)^MemoryDenyWriteExecute=");
        double exposure = exposure(UNIT);
        assertThat(exposure).isLessThanOrEqualTo(MAX_EXPOSURE);
    }

    @Test
    void installsRunsAsPatrolUpgradesKeepingLocalEditsAndPurgesClean(@TempDir Path dir) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean asked = PackageCommands.inCi() || "1".equals(System.getenv("PATROL_PACKAGE_TESTS"));
        assumeThat(asked)
                .as("installs a package: runs in CI or with PATROL_PACKAGE_TESTS=1")
                .isTrue();
        if (!PackageCommands.inCi()) {
            assumeThat(root).as("installing a package needs root").isTrue();
        }
        assertThat(root).as("CI runs as root").isTrue();
        for (String tool : List.of("dpkg", "dpkg-deb", "runuser", "systemd-analyze")) {
            requireTool(tool);
        }
        PackageInstall install = new PackageInstall(dir);
        install.requireCleanMachine();
        try {
            install.installDependencies();
            install.install(PackageCommands.deb());
            install.assertInstalled(PackageCommands.debianVersion());
            PackageCommands.run("systemd-analyze", "verify", "/lib/systemd/system/patrol.service")
                    .ok();
            System.out.println(
                    "systemd-analyze security, exposure " + exposure(Path.of("/lib/systemd/system/patrol.service")));

            int port = install.editListenPort();
            install.runAgentAndScrape(port);

            Path newer = PackageRepack.withHigherVersion(PackageCommands.deb(), dir);
            install.upgradeKeepingLocalConfig(newer, port);
            install.runAgentAndScrape(port);
            install.addKeyOwnedByPatrol();
        } finally {
            install.purge();
        }
        install.assertKeptFilesBelongToRoot();
        install.assertPurged();
    }

    /** Every pattern of the {@code Files:} fields of the package's DEP-5 copyright file. */
    private static List<String> copyrightPatterns() throws Exception {
        List<String> patterns = new ArrayList<>();
        boolean inFiles = false;
        for (String line : Files.readAllLines(COPYRIGHT, StandardCharsets.UTF_8)) {
            if (line.startsWith("Files:")) {
                inFiles = true;
                patterns.addAll(Arrays.asList(line.substring(6).strip().split("\\s+")));
            } else if (inFiles && line.startsWith(" ")) {
                patterns.addAll(Arrays.asList(line.strip().split("\\s+")));
            } else {
                inFiles = false;
            }
        }
        return patterns;
    }

    private static boolean globMatches(String pattern, String path) {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        return matcher.matches(Path.of(path));
    }

    private static void assertEntry(List<String> contents, String mode, String path) {
        assertThat(contents)
                .as("%s %s in the package", mode, path)
                .anyMatch(line -> line.startsWith(mode + " root/root") && line.endsWith(" " + path));
    }

    private static void requireTool(String tool) {
        if (!PackageCommands.onPath(tool)) {
            assertThat(PackageCommands.inCi())
                    .as("%s is missing: .ci/run installs it", tool)
                    .isFalse();
            assumeThat(false).as("%s is not installed", tool).isTrue();
        }
    }

    /** Prints {@code systemd-analyze security} for the unit file and returns its overall exposure (0 to 10). */
    private static double exposure(Path unit) throws Exception {
        // --offline reads the file itself; it needs no running systemd (systemd 250 and later).
        PackageCommands.Result security =
                PackageCommands.run("systemd-analyze", "security", "--offline=true", unit.toString());
        System.out.println(security.output());
        security.ok();
        Matcher score = Pattern.compile("Overall exposure level for patrol\\.service: (\\d+\\.\\d+)")
                .matcher(security.output());
        assertThat(score.find()).as(security.output()).isTrue();
        return Double.parseDouble(score.group(1));
    }

    static PosixFileAttributes attributes(Path path) throws Exception {
        return Files.readAttributes(path, PosixFileAttributes.class);
    }

    static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(attributes(path).permissions());
    }
}
