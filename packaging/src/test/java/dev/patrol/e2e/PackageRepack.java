package dev.patrol.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Rebuilds the patrol package as a newer version, for {@link PackageDebIT}'s upgrade. Stateless. */
final class PackageRepack {
    /** The line the newer package adds to its shipped patrol.conf. */
    static final String UPGRADE_MARKER = "## Shipped by the newer package of the upgrade test.";

    private PackageRepack() {}

    /** The same package with a higher version and a changed shipped patrol.conf, so dpkg must decide about it. */
    static Path withHigherVersion(Path deb, Path dir) throws Exception {
        Path tree = dir.resolve("tree");
        PackageCommands.run("dpkg-deb", "-R", deb.toString(), tree.toString()).ok();
        Path control = tree.resolve("DEBIAN/control");
        String old = PackageCommands.debianVersion();
        String newer = old + "+upgrade1";
        Files.writeString(
                control,
                Files.readString(control, StandardCharsets.UTF_8).replace("Version: " + old, "Version: " + newer));
        Path shipped = tree.resolve("etc/patrol/patrol.conf");
        Files.writeString(shipped, Files.readString(shipped, StandardCharsets.UTF_8) + UPGRADE_MARKER + "\n");
        writeMd5sums(tree);
        PackageCommands.run("dpkg", "--compare-versions", newer, "gt", old).ok();
        Path result = dir.resolve("patrol_" + newer + "_all.deb");
        PackageCommands.run("dpkg-deb", "--root-owner-group", "-b", tree.toString(), result.toString())
                .ok();
        return result;
    }

    /** DEBIAN/md5sums for the files of a package tree, as dpkg-deb expects it after an edit. */
    private static void writeMd5sums(Path tree) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(tree)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(file -> !tree.relativize(file).startsWith("DEBIAN"))
                    .sorted()
                    .toList();
        }
        StringBuilder sums = new StringBuilder();
        for (Path file : files) {
            byte[] digest = MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file));
            sums.append(HexFormat.of().formatHex(digest))
                    .append("  ")
                    .append(tree.relativize(file))
                    .append('\n');
        }
        Files.writeString(tree.resolve("DEBIAN/md5sums"), sums.toString(), StandardCharsets.UTF_8);
    }
}
