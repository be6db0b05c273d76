package dev.patrol.plugin.logtail;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one (check, target) keeps between runs: its positions and spool, loaded once and recovered after a crash, and
 * the counters behind its metrics, per configured path. Kept in a process-wide map by spool directory, so a reload
 * that replaces the check's definition keeps them.
 *
 * <p>Thread-safe by confinement: callers hold the instance's lock for a whole run.
 */
final class TailState {
    private static final Map<Path, TailState> STATES = new ConcurrentHashMap<>();

    /** The counters of one configured path. */
    static final class Counters {
        long lines;
        long bytes;
        long rotations;
        long truncated;
        long lag;
        long forwarded;
        long resent;
        /** Failed forwarder batches by reason label ({@link SpoolForwarding#FAILURE_REASONS}). */
        final Map<String, Long> forwardFailures = new LinkedHashMap<>();

        final Map<String, Long> matches = new LinkedHashMap<>();
    }

    final Path dir;
    private Positions positions;
    private Spool spool;
    private SpoolForwarding forwarding;
    private final Map<String, Counters> counters = new LinkedHashMap<>();
    /** One line per followed file for the status page, from the last run. */
    String files = "";

    private TailState(Path dir) {
        this.dir = dir;
    }

    static TailState of(Path dir) {
        return STATES.computeIfAbsent(dir.toAbsolutePath().normalize(), TailState::new);
    }

    /** Forgets every check's state, as a restarted agent would have; for tests. */
    static void forgetAll() {
        STATES.clear();
    }

    Counters counters(String path, List<String> patternNames) {
        Counters c = counters.computeIfAbsent(path, p -> new Counters());
        patternNames.forEach(name -> c.matches.putIfAbsent(name, 0L));
        return c;
    }

    Positions positions() throws IOException {
        load();
        return positions;
    }

    SpoolForwarding forwarding() throws IOException {
        load();
        return forwarding;
    }

    Spool spool() throws IOException {
        load();
        return spool;
    }

    /** Forgets the loaded positions, so the next run reads them again from disk and recovers the spool. */
    void reset() {
        positions = null;
        spool = null;
    }

    /**
     * Loads the positions and puts the spool back to the last commit: bytes spooled after it (a crash between
     * spooling and saving the positions) are cut off, so that they are read and spooled again exactly once.
     */
    private void load() throws IOException {
        if (positions != null) {
            return;
        }
        Files.createDirectories(dir);
        Spool loadedSpool = new Spool(dir);
        Positions loaded = Positions.load(dir);
        for (Positions.Entry entry : loaded.entries()) {
            entry.spoolLength = loadedSpool.recover(entry.spoolName, entry.spoolLength);
        }
        try (DirectoryStream<Path> files = loadedSpool.streamFiles()) {
            for (Path file : files) {
                if (!loaded.usesSpoolName(file.getFileName().toString())) {
                    Files.delete(file); // lines of a stream whose first commit never happened
                }
            }
        }
        forwarding = SpoolForwarding.load(dir);
        spool = loadedSpool;
        positions = loaded;
    }
}
