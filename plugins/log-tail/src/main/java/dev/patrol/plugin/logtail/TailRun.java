package dev.patrol.plugin.logtail;

import dev.patrol.api.CheckContext;
import dev.patrol.api.CheckResult;
import dev.patrol.api.FileListing;
import dev.patrol.api.Reason;
import dev.patrol.api.RemoteFile;
import dev.patrol.api.Status;
import dev.patrol.plugin.logtail.ReadPlanner.Read;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One poll of one target's files, in the order that makes the spool exactly-once:
 *
 * <ol>
 *   <li>look the files up (one {@code stat}: identity, size) and decide per file what to read ({@link ReadPlanner});
 *   <li>read (SFTP: one channel for the whole run, pipelined reads, see {@link RunReader}), cutting complete lines;
 *   <li>look the files up again, and drop what was read from a path whose identity changed in between (the read may
 *       have come from the new file);
 *   <li>append the lines to the spool and force it to disk, then save the positions (temporary file, forced, atomic
 *       rename). A crash before the rename leaves the spool longer than the positions say, and the next load cuts it.
 * </ol>
 *
 * <p>Not thread-safe: runs under the lock of its {@link TailState}.
 */
final class TailRun {
    /** The most one read asks for (plus a line): the reader pipelines it, memory stays bounded per run. */
    private static final int CHUNK = 4 * 1024 * 1024;

    private final LogTailSettings settings;
    private final TailState state;
    private final FileSource source;
    private final RunReader reader;
    private final CheckContext context;
    private final LinePatterns patterns;
    private final Problems problems = new Problems();
    private final List<String> statPatterns = new ArrayList<>();
    private final String target;

    TailRun(
            LogTailSettings settings,
            LinePatterns patterns,
            TailState state,
            FileSource source,
            CheckContext context,
            String target) {
        this.target = target;
        this.settings = settings;
        this.state = state;
        this.source = source;
        this.reader = new RunReader(source, context);
        this.context = context;
        this.patterns = patterns;
        settings.paths().forEach(path -> statPatterns.add(Globs.withRotated(path)));
    }

    CheckResult run() throws IOException {
        try (reader) {
            return runLocked();
        }
    }

    private CheckResult runLocked() throws IOException {
        Positions positions = state.positions();
        Spool spool = state.spool();
        if (spool.totalBytes() >= settings.spoolMaxBytes()) {
            // Nothing is read, but the lag still shows how far behind the spool falls.
            new Commit(settings, state, positions, spool, context.clock().instant())
                    .report(ReadPlanner.byPath(await(source.stat(statPatterns, listCap()))));
            forward(positions); // forwarding still drains the live spool files
            return CheckResult.critical(
                            Reason.SPOOL_FULL,
                            "the spool " + spool.dir() + " holds " + settings.spoolMaxBytes()
                                    + " bytes or more (spool.max-bytes); nothing read until it is shipped")
                    .withSamples(TailSamples.of(settings, state));
        }
        boolean firstPoll = !positions.existed();
        FileListing before = await(source.stat(statPatterns, listCap()));
        ReadPlanner planner =
                new ReadPlanner(settings, state, problems, () -> await(source.stat(statPatterns, listCap())));
        List<Read> reads = planner.plan(before, positions, firstPoll);
        Map<Read, LineSplitter> done = new LinkedHashMap<>();
        long budget = settings.maxReadPerRun();
        for (Read read : reads) {
            if (budget <= 0) {
                break;
            }
            LineSplitter lines = new LineSplitter(settings.maxLineLength(), patterns);
            budget -= readInto(read, lines, budget);
            done.put(read, lines);
        }
        FileListing after = await(source.stat(statPatterns, listCap()));
        Map<String, RemoteFile> now = ReadPlanner.byPath(after);
        Commit commit =
                new Commit(settings, state, positions, spool, context.clock().instant());
        for (Map.Entry<Read, LineSplitter> entry : done.entrySet()) {
            Read read = entry.getKey();
            RemoteFile still = now.get(read.path());
            LineSplitter lines = entry.getValue();
            if (still == null || !still.identity().equals(read.identity())) {
                continue; // renamed or replaced during the read: read again from the same offset next time
            }
            if (!read.path().equals(read.entry().path)) {
                finishRenamed(read, still, lines, commit);
            } else if (still.size() >= read.from() + lines.consumed) {
                commit.add(read.entry(), read.configured(), read.from(), lines);
            }
        }
        reader.close(); // everything is read: the channel goes back before the spool is written
        if (settings.forward() != null) {
            commit.forwardedBy(state.forwarding());
        }
        planner.retired().forEach(commit::retire);
        commit.save(now, problems);
        forward(positions);
        return problems.result(commit.summary(), TailSamples.of(settings, state), state.files);
    }

    private void forward(Positions positions) throws IOException {
        SpoolForwarding.forwardAll(settings, state, positions, context, target, problems);
    }

    /** A renamed file that no longer grows is read to its end, then the stream moves to the file now at its path. */
    private void finishRenamed(Read read, RemoteFile still, LineSplitter lines, Commit commit) throws IOException {
        long end = read.from() + lines.consumed;
        if (still.size() == read.size() && end < read.size()) {
            int rest = (int) Math.min(read.size() - end, settings.maxLineLength());
            byte[] tail = reader.read(read.path(), end, rest);
            // Only a rest without a newline is a last line; complete lines (a read cut by the budget) come next run.
            if (tail.length == read.size() - end
                    && java.util.stream.IntStream.range(0, tail.length).noneMatch(i -> tail[i] == '\n')) {
                lines.flushPartial(tail, tail.length); // the writer closed it without a last newline
            }
        }
        commit.add(read.entry(), read.configured(), read.from(), lines);
        if (still.size() == read.size() && read.from() + lines.consumed == read.size()) {
            commit.switchToPath(read.entry(), read.configured());
        }
    }

    /** Reads complete lines of {@code read}, at most {@code budget} bytes; returns the bytes read. */
    private long readInto(Read read, LineSplitter lines, long budget) {
        long total = 0;
        while (total < budget) {
            long position = read.from() + lines.consumed;
            long want = Math.min(read.size() - position, budget - total);
            if (want <= 0) {
                break;
            }
            int ask = (int) Math.min(Math.max(want, settings.maxLineLength() + 1L), CHUNK + settings.maxLineLength());
            ask = (int) Math.min(ask, read.size() - position);
            byte[] data;
            try {
                data = reader.read(read.path(), position, ask);
            } catch (CompletionException e) {
                if (e.getCause() instanceof NoSuchFileException) {
                    break; // rotated away between the lookup and the read: found by identity next time
                }
                if (e.getCause() instanceof IOException io) {
                    problems.add(
                            Status.CRITICAL,
                            Reason.FILE_UNREADABLE,
                            io instanceof AccessDeniedException
                                    ? "cannot read " + read.path() + ": permission denied"
                                    : "cannot read " + read.path() + ": " + io.getMessage());
                    break;
                }
                throw e;
            }
            total += data.length;
            long before = lines.consumed;
            lines.accept(data, data.length);
            if (data.length == 0 || lines.consumed == before) {
                break;
            }
        }
        return total;
    }

    private int listCap() {
        return settings.maxFiles() * 4 + 64;
    }

    private <T> T await(CompletionStage<T> stage) {
        return RunReader.await(stage, context);
    }
}
