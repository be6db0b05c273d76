package dev.patrol.plugin.logtail;

import dev.patrol.api.FileListing;
import dev.patrol.api.Reason;
import dev.patrol.api.RemoteFile;
import dev.patrol.api.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The first step of a {@link TailRun}: from one lookup of the files and the saved positions, what to read of each
 * followed file. From its offset; from 0 after a copytruncate (size below the offset); the rest of a renamed file,
 * found again by identity among its siblings, before the stream switches to the new file at the path. A file that
 * matched a glob and is gone for good ends its stream ({@link #retired()}). Problems (not a file, too many files, no
 * file) go to the run's {@link Problems}.
 *
 * <p>Not thread-safe: one per run.
 */
final class ReadPlanner {
    /** One read: {@code entry}'s stream, from {@code path} (its own, or the name it was renamed to) up to {@code size}. */
    record Read(Positions.Entry entry, String configured, String path, String identity, long from, long size) {}

    private final LogTailSettings settings;
    private final TailState state;
    private final Problems problems;
    private final Supplier<FileListing> secondLookup;
    private final List<Positions.Entry> retired = new ArrayList<>();
    private FileListing second;

    /** @param secondLookup a new lookup of the same files, asked for at most once (see {@code lookAgain}) */
    ReadPlanner(LogTailSettings settings, TailState state, Problems problems, Supplier<FileListing> secondLookup) {
        this.settings = settings;
        this.state = state;
        this.problems = problems;
        this.secondLookup = secondLookup;
    }

    /** The followed files that {@link #plan} found gone for good: their entries leave the positions. */
    List<Positions.Entry> retired() {
        return retired;
    }

    /** What to read this run, and which followed files are gone for good (see {@link #retired()}). */
    List<Read> plan(FileListing listing, Positions positions, boolean firstPoll) {
        Map<String, RemoteFile> byPath = byPath(listing);
        Map<String, RemoteFile> byIdentity = new HashMap<>();
        listing.files().forEach(file -> byIdentity.putIfAbsent(file.identity(), file));
        List<Read> reads = new ArrayList<>();
        Set<String> claimed = new HashSet<>();
        int followed = 0;
        for (String configured : settings.paths()) {
            Pattern pattern = Globs.toRegex(configured);
            List<String> paths = new ArrayList<>();
            listing.files().stream()
                    .map(RemoteFile::path)
                    .filter(path -> pattern.matcher(path).matches() && claimed.add(path))
                    .forEach(paths::add);
            for (Positions.Entry entry : positions.entries()) {
                if (pattern.matcher(entry.path).matches() && claimed.add(entry.path)) {
                    paths.add(entry.path);
                }
            }
            boolean anyPresent = false;
            for (String path : paths) {
                RemoteFile file = byPath.get(path);
                anyPresent |= file != null;
                if (file != null && file.type() != RemoteFile.Type.FILE) {
                    problems.add(Status.CRITICAL, Reason.NOT_A_FILE, path + " is " + describe(file.type()));
                    continue;
                }
                if (file != null && ++followed > settings.maxFiles()) {
                    problems.add(
                            Status.WARNING,
                            Reason.TOO_MANY_FILES,
                            "more than " + settings.maxFiles() + " files match " + configured
                                    + " and the other paths (max-files); the rest are ignored");
                    break;
                }
                Positions.Entry entry = positions.get(path).orElse(null);
                if (entry == null) {
                    if (file == null) {
                        continue;
                    }
                    boolean fromEnd = firstPoll && settings.startAt() == LogTailSettings.StartAt.END;
                    entry = new Positions.Entry(
                            path, file.identity(), fromEnd ? file.size() : 0, Spool.nameFor(path, positions), 0);
                    positions.put(entry);
                }
                RemoteFile moved = byIdentity.get(entry.identity);
                if (file == null && moved == null && Globs.isGlob(configured) && !listing.truncated()) {
                    moved = lookAgain(entry.identity);
                    if (moved == null) {
                        retired.add(entry); // a matched file gone for good: its stream ends, its entry goes
                        continue;
                    }
                }
                planFile(entry, configured, file, moved, reads);
            }
            if (listing.truncated()) {
                problems.add(
                        Status.WARNING,
                        Reason.TOO_MANY_FILES,
                        "more files match " + configured
                                + " and its rotated names than the agent looks at; some are ignored (max-files)");
            }
            if (!anyPresent) {
                problems.add(
                        Status.WARNING,
                        Reason.FILE_MISSING,
                        Globs.isGlob(configured) ? "no file matches " + configured : configured + " does not exist");
            }
        }
        return reads;
    }

    private void planFile(
            Positions.Entry entry, String configured, RemoteFile atPath, RemoteFile byIdentity, List<Read> reads) {
        if (atPath != null && atPath.identity().equals(entry.identity)) {
            if (atPath.size() < entry.offset) {
                state.counters(configured, List.of()).rotations++; // copytruncate: the file starts again
                entry.offset = 0;
            }
            reads.add(new Read(entry, configured, entry.path, entry.identity, entry.offset, atPath.size()));
            return;
        }
        if (byIdentity == null && atPath != null) {
            byIdentity = lookAgain(entry.identity); // gone, or renamed while the lookup ran?
        }
        if (byIdentity != null
                && byIdentity.type() == RemoteFile.Type.FILE
                && !byIdentity.path().equals(entry.path)) {
            // Renamed away (app.log -> app.log.1): finish it first, found by identity, never by name.
            reads.add(new Read(entry, configured, byIdentity.path(), entry.identity, entry.offset, byIdentity.size()));
        } else if (atPath != null && byIdentity == null) {
            // Gone (deleted, or compressed into a new file that is never re-read): the new file starts the stream.
            state.counters(configured, List.of()).rotations++;
            entry.identity = atPath.identity();
            entry.offset = 0;
            reads.add(new Read(entry, configured, entry.path, entry.identity, 0, atPath.size()));
        }
    }

    /**
     * The file with {@code identity} in a second lookup, made at most once per run and only when a followed file
     * seems gone. One lookup can miss a renamed file: the shell expands {@code app.log*}, the file is renamed and the
     * writer creates a new {@code app.log}, then {@code stat} looks at each expanded name and finds the new file at
     * the path and the old one under no name. Taking that for a deletion would lose the renamed file's unread rest; a
     * lookup started after the rename finds it.
     */
    private RemoteFile lookAgain(String identity) {
        if (identity.isEmpty()) {
            return null;
        }
        if (second == null) {
            second = secondLookup.get();
        }
        return second.files().stream()
                .filter(file -> file.identity().equals(identity))
                .findFirst()
                .orElse(null);
    }

    static Map<String, RemoteFile> byPath(FileListing listing) {
        Map<String, RemoteFile> byPath = new HashMap<>();
        listing.files().forEach(file -> byPath.putIfAbsent(file.path(), file));
        return byPath;
    }

    private static String describe(RemoteFile.Type type) {
        return type == RemoteFile.Type.DIRECTORY ? "a directory, not a file" : "not a regular file";
    }
}
