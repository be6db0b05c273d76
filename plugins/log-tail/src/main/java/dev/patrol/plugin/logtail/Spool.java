package dev.patrol.plugin.logtail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The spool directory of one (check, target): one plain-text file per followed stream, named from its remote path
 * ({@code /var/log/app.log} is {@code var_log_app.log}), holding its lines in order. A file that passes
 * {@code spool.max-file-bytes} moves to {@code rotated/<name>.<UTC time>} and is never touched again; whatever ships
 * the spool deletes rotated files when it has shipped them. The whole directory must stay under
 * {@code spool.max-bytes}.
 *
 * <p>Not thread-safe: owned by one {@link TailState} and used under its lock.
 */
final class Spool {
    static final String ROTATED = "rotated";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Path dir;

    Spool(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve(ROTATED));
    }

    Path dir() {
        return dir;
    }

    /** A readable, safe file name for the stream of {@code path}, not used by another stream. */
    static String nameFor(String path, Positions positions) {
        String name = path.replaceFirst("^/+", "").replace('/', '_').replaceAll("[^A-Za-z0-9._-]", "_");
        if (name.isEmpty() || name.startsWith(".")) {
            name = "_" + name;
        }
        if (name.length() > 180) {
            name = name.substring(name.length() - 180);
        }
        if (positions.usesSpoolName(name)) {
            name = name + "-" + Integer.toHexString(path.hashCode());
        }
        return name;
    }

    /** Appends {@code data} to the stream's file and forces it to disk; returns the file's new length. */
    long append(String name, long expectedLength, SpoolBytes data) throws IOException {
        try (FileChannel channel =
                FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (channel.size() != expectedLength) {
                channel.truncate(expectedLength); // bytes of a commit that never finished
            }
            channel.position(expectedLength);
            data.writeTo(channel); // no copy of the run's lines
            channel.force(false);
            return expectedLength + data.size();
        }
    }

    /**
     * Cuts the stream's file back to its committed length, after a crash between spooling and committing. A missing
     * file is created empty (it was rotated just before the crash).
     */
    long recover(String name, long committedLength) throws IOException {
        Path file = dir.resolve(name);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size > committedLength) {
                channel.truncate(committedLength);
                channel.force(false);
                return committedLength;
            }
            return size;
        }
    }

    /** Moves a stream's file to {@code rotated/}; the stream continues in a new empty file. */
    void rotate(String name, Instant now) throws IOException {
        Path file = dir.resolve(name);
        if (Files.exists(file)) {
            Files.move(file, dir.resolve(ROTATED).resolve(name + "." + STAMP.format(now)));
            forceDirectory(dir);
        }
    }

    /** Bytes in the spool directory, rotated files included. */
    long totalBytes() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(file -> file.toFile().length())
                    .sum();
        }
    }

    /** Stream files in the directory (not the positions file, not rotated files). */
    DirectoryStream<Path> streamFiles() throws IOException {
        return Files.newDirectoryStream(
                dir,
                file -> Files.isRegularFile(file)
                        && !file.getFileName().toString().startsWith("."));
    }

    /** Makes a rename or a new file in {@code dir} durable; a no-op where directories cannot be opened. */
    static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; the rename itself is still atomic there.
        }
    }
}
