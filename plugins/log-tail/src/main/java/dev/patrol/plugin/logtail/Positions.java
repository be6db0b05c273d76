package dev.patrol.plugin.logtail;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read positions of one (check, target): for each followed file, its identity, how far it was read, and the spool
 * file its lines go to with that file's committed length. Saved only after the spooled bytes are durable, by writing
 * a temporary file, forcing it to disk and renaming it over the old one, so the file on disk is always one complete
 * commit: after a crash the spool is cut back to the lengths recorded here and reading resumes at the offsets.
 *
 * <p>Not thread-safe: owned by one {@link TailState} and used under its lock.
 */
final class Positions {
    static final String FILE_NAME = ".positions";
    private static final String HEADER = "patrol-log-positions 1";

    /** One followed file; {@code path} is where it was first found, the name of its stream. */
    static final class Entry {
        final String path;
        String identity;
        long offset;
        final String spoolName;
        long spoolLength;

        Entry(String path, String identity, long offset, String spoolName, long spoolLength) {
            this.path = path;
            this.identity = identity;
            this.offset = offset;
            this.spoolName = spoolName;
            this.spoolLength = spoolLength;
        }
    }

    private final Path file;
    private final Map<String, Entry> byPath = new LinkedHashMap<>();
    private boolean existed;
    /** What the file on disk holds, as last written by {@link #save}; null until then. */
    private String saved;

    private Positions(Path file) {
        this.file = file;
    }

    /** Loads the positions in {@code dir}, or none when it has no positions file yet. */
    static Positions load(Path dir) throws IOException {
        Positions positions = new Positions(dir.resolve(FILE_NAME));
        if (!Files.exists(positions.file)) {
            return positions;
        }
        positions.existed = true;
        List<String> lines = Files.readAllLines(positions.file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException("not a positions file: " + positions.file);
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split("\t");
            if (fields.length != 5) {
                throw new IOException("damaged positions file: " + positions.file);
            }
            String path = URLDecoder.decode(fields[0], StandardCharsets.UTF_8);
            positions.byPath.put(
                    path,
                    new Entry(
                            path,
                            fields[1],
                            Long.parseLong(fields[2]),
                            URLDecoder.decode(fields[3], StandardCharsets.UTF_8),
                            Long.parseLong(fields[4])));
        }
        return positions;
    }

    /** Whether a positions file existed when loaded: false on a check's very first poll. */
    boolean existed() {
        return existed;
    }

    Optional<Entry> get(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    Iterable<Entry> entries() {
        return new ArrayList<>(byPath.values());
    }

    boolean usesSpoolName(String name) {
        return byPath.values().stream().anyMatch(entry -> entry.spoolName.equals(name));
    }

    void remove(String path) {
        byPath.remove(path);
    }

    void put(Entry entry) {
        byPath.put(entry.path, entry);
    }

    /**
     * Writes every entry durably: a temporary file, forced, renamed over the old one, and the directory forced. A
     * save that would write what the file already holds (a poll that found nothing new) writes nothing: no fsync.
     */
    void save() throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (Entry entry : byPath.values()) {
            text.append(URLEncoder.encode(entry.path, StandardCharsets.UTF_8))
                    .append('\t')
                    .append(entry.identity)
                    .append('\t')
                    .append(entry.offset)
                    .append('\t')
                    .append(URLEncoder.encode(entry.spoolName, StandardCharsets.UTF_8))
                    .append('\t')
                    .append(entry.spoolLength)
                    .append('\n');
        }
        if (text.toString().equals(saved)) {
            return;
        }
        Path temp = file.resolveSibling(FILE_NAME + ".tmp");
        try (FileChannel channel = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the state directory cannot rename atomically: " + file.getParent(), e);
        }
        Spool.forceDirectory(file.getParent());
        existed = true;
        saved = text.toString();
    }
}
