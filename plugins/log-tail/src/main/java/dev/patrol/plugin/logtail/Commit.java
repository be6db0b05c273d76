package dev.patrol.plugin.logtail;

import dev.patrol.api.RemoteFile;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The end of a run: spooled lines made durable first, positions saved after, counters updated last. Until
 * {@link #save} has renamed the positions file nothing a crash could leave behind counts: the next load cuts the
 * spool back to the saved lengths.
 *
 * <p>Not thread-safe; one per run.
 */
final class Commit {
    private record Pending(Positions.Entry entry, String configured, long from, LineSplitter lines) {}

    private final LogTailSettings settings;
    private final TailState state;
    private final Positions positions;
    private final Spool spool;
    private final Instant now;
    private final List<Pending> pending = new ArrayList<>();
    private final Set<Positions.Entry> switches = new HashSet<>();
    private final List<Positions.Entry> retired = new ArrayList<>();
    private long lines;
    private SpoolForwarding forwarding;
    private long bytes;

    Commit(LogTailSettings settings, TailState state, Positions positions, Spool spool, Instant now) {
        this.settings = settings;
        this.state = state;
        this.positions = positions;
        this.spool = spool;
        this.now = now;
    }

    /** Spool files are rotated only once {@code forwarding} has sent them whole. */
    void forwardedBy(SpoolForwarding spoolForwarding) {
        this.forwarding = spoolForwarding;
    }

    /**
     * Ends the stream of a file that is gone for good: its spool file moves to {@code rotated/} first, then the entry
     * leaves the positions, so that the positions file does not grow with every file a glob ever matched.
     */
    void retire(Positions.Entry entry) {
        retired.add(entry);
    }

    void add(Positions.Entry entry, String configured, long from, LineSplitter read) {
        pending.add(new Pending(entry, configured, from, read));
    }

    /** After this commit the stream continues with whatever file is at its path (a rename rotation finished). */
    void switchToPath(Positions.Entry entry, String configured) {
        switches.add(entry);
    }

    void save(Map<String, RemoteFile> files, Problems problems) throws IOException {
        for (Pending p : pending) {
            if (p.lines().spooled.size() > 0) {
                p.entry().spoolLength = spool.append(p.entry().spoolName, p.entry().spoolLength, p.lines().spooled);
            }
            p.entry().offset = p.from() + p.lines().consumed;
        }
        for (Positions.Entry entry : switches) {
            RemoteFile current = files.get(entry.path);
            entry.identity = current == null || current.type() != RemoteFile.Type.FILE ? "" : current.identity();
            entry.offset = 0;
            if (current != null) {
                state.counters(configuredOf(entry), List.of()).rotations++;
            }
        }
        for (Positions.Entry entry : retired) {
            if (forwarding == null || forwarding.offset(entry.spoolName) >= entry.spoolLength) {
                spool.rotate(entry.spoolName, now);
                positions.remove(entry.path);
            }
        }
        positions.save();
        for (Pending p : pending) {
            TailState.Counters c = state.counters(
                    p.configured(), List.copyOf(settings.patterns().keySet()));
            c.lines += p.lines().lines;
            c.bytes += p.lines().consumed;
            c.truncated += p.lines().truncated;
            int i = 0;
            for (String name : settings.patterns().keySet()) {
                c.matches.merge(name, p.lines().matches[i++], Long::sum);
            }
            lines += p.lines().lines;
            bytes += p.lines().consumed;
        }
        report(files);
        rotateSpool();
    }

    private void rotateSpool() throws IOException {
        boolean rotated = false;
        for (Positions.Entry entry : positions.entries()) {
            // A forwarded spool file rotates only once sent whole: the forwarder reads the live file alone.
            if (entry.spoolLength >= settings.spoolMaxFileBytes()
                    && (forwarding == null || forwarding.offset(entry.spoolName) >= entry.spoolLength)) {
                spool.rotate(entry.spoolName, now);
                entry.spoolLength = 0;
                rotated = true;
            }
        }
        if (rotated) {
            positions.save();
            if (forwarding != null) {
                for (Positions.Entry entry : positions.entries()) {
                    if (entry.spoolLength == 0 && forwarding.offset(entry.spoolName) > 0) {
                        forwarding.rotated(entry.spoolName);
                    }
                }
            }
        }
    }

    /** Lag per configured path, and one line per followed file for the status page. */
    void report(Map<String, RemoteFile> files) {
        settings.paths().forEach(path -> state.counters(path, List.of()).lag = 0);
        StringBuilder text = new StringBuilder();
        for (Positions.Entry entry : positions.entries()) {
            String configured = configuredOf(entry);
            if (configured == null) {
                continue;
            }
            RemoteFile file = files.get(entry.path);
            long size = file != null && file.identity().equals(entry.identity) ? file.size() : entry.offset;
            long lag = Math.max(0, size - entry.offset);
            state.counters(configured, List.of()).lag += lag;
            text.append(entry.path)
                    .append(": offset ")
                    .append(entry.offset)
                    .append(", lag ")
                    .append(lag)
                    .append(" bytes");
            pending.stream()
                    .filter(p -> p.entry() == entry && !p.lines().lastLine.isEmpty())
                    .findFirst()
                    .ifPresent(p -> text.append(", last line: \"")
                            .append(p.lines().lastLine)
                            .append('"'));
            text.append('\n');
        }
        state.files = text.toString();
    }

    private String configuredOf(Positions.Entry entry) {
        return configuredOf(settings, entry.path);
    }

    static String configuredOf(LogTailSettings settings, String file) {
        for (String path : settings.paths()) {
            if (Globs.toRegex(path).matcher(file).matches()) {
                return path;
            }
        }
        return null;
    }

    String summary() {
        return lines + " lines (" + bytes + " bytes) spooled from "
                + positions.entries().spliterator().estimateSize() + " files";
    }
}
