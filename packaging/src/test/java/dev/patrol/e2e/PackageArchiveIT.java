package dev.patrol.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code packaging/target/patrol-VERSION.tar.gz}: its layout, and that it runs where it is unpacked. */
class PackageArchiveIT {

    @Test
    void tarballHoldsOneFolderWithLauncherJarsConfigAndUnit() throws Exception {
        String top = "patrol-" + PackageCommands.projectVersion() + "/";
        List<String> listing = Arrays.asList(
                PackageCommands.run("tar", "-tzvf", PackageCommands.tarball().toString())
                        .ok()
                        .output()
                        .split("\n"));
        List<String> names = listing.stream()
                .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                .toList();
        assertThat(names).allMatch(name -> name.startsWith(top), "under " + top);
        assertThat(names)
                .contains(
                        top + "patrol.jar",
                        top + "bin/patrol",
                        top + "conf/patrol.conf",
                        top + "conf/conf.d/",
                        top + "conf/plugins.d/",
                        top + "conf/examples/web-fleet.conf",
                        top + "systemd/patrol.service");
        assertThat(listing).anyMatch(line -> line.startsWith("-rwxr-xr-x") && line.endsWith(top + "bin/patrol"));

        List<String> builtJars;
        try (Stream<Path> jars = Files.list(PackageCommands.TARGET.resolve("lib"))) {
            builtJars = jars.map(jar -> top + "lib/" + jar.getFileName()).toList();
        }
        assertThat(builtJars).isNotEmpty();
        assertThat(names.stream().filter(name -> name.startsWith(top + "lib/") && name.endsWith(".jar")))
                .containsExactlyInAnyOrderElementsOf(builtJars);
    }

    @Test
    void unpackedTarballRunsItsLauncherOnItsOwnConfig(@TempDir Path dir) throws Exception {
        PackageCommands.run("tar", "-xzf", PackageCommands.tarball().toString(), "-C", dir.toString())
                .ok();
        Path home = dir.resolve("patrol-" + PackageCommands.projectVersion());
        // Through a symlink, as /usr/bin/patrol style installs do: the launcher must still find its jar.
        Path link = Files.createSymbolicLink(dir.resolve("patrol"), home.resolve("bin/patrol"));

        assertThat(PackageCommands.run(link.toString(), "version").ok().output())
                .startsWith("patrol ");
        assertThat(PackageCommands.run(
                                link.toString(),
                                "check-config",
                                home.resolve("conf/patrol.conf").toString())
                        .ok()
                        .output())
                .contains("configuration OK");
    }

    @Test
    void launcherBoundsTheHeapUnlessJavaOptsSayOtherwise(@TempDir Path dir) throws Exception {
        PackageCommands.run("tar", "-xzf", PackageCommands.tarball().toString(), "-C", dir.toString())
                .ok();
        String launcher = dir.resolve("patrol-" + PackageCommands.projectVersion() + "/bin/patrol")
                .toString();
        // -XX:+PrintCommandLineFlags makes the real JVM print the heap limit it settled on.
        Map<String, String> defaults = Map.of("JAVA_OPTS", "-XX:+PrintCommandLineFlags", "PATROL_JAVA_OPTS", "");
        Map<String, String> raised = Map.of("JAVA_OPTS", "-XX:+PrintCommandLineFlags", "PATROL_JAVA_OPTS", "-Xmx1g");
        Map<String, String> javaOpts =
                Map.of("JAVA_OPTS", "-Xmx384m -XX:+PrintCommandLineFlags", "PATROL_JAVA_OPTS", "");

        assertThat(flags(launcher, defaults))
                .contains("-XX:MaxHeapSize=268435456", "-XX:InitialHeapSize=33554432", "-XX:+ExitOnOutOfMemoryError");
        assertThat(flags(launcher, raised)).contains("-XX:MaxHeapSize=1073741824");
        assertThat(flags(launcher, javaOpts)).contains("-XX:MaxHeapSize=402653184");
    }

    private static String flags(String launcher, Map<String, String> environment) throws Exception {
        return PackageCommands.run(Duration.ofSeconds(60), environment, launcher, "version")
                .ok()
                .output();
    }
}
