package dev.patrol.plugin.logtail;

import dev.patrol.api.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * The forwarder's own read offset into each live spool file, saved in {@code .forward} (temporary file, forced,
 * atomic rename) after every batch the receiver took. A spool file is rotated only once it has been forwarded whole,
 * and the offset then starts again at 0; an offset beyond its file (a crash between the two) is reset on load.
 *
 * <p>Not thread-safe: used under the lock of its {@link TailState}.
 */
final class SpoolForwarding {
    static final String FILE_NAME = ".forward";

    /** What one forwarding pass did. */
    record Pass(long lines, IOException failure) {}

    private final Path dir;
    private final Map<String, Long> offsets = new HashMap<>();
    /** The settings a TLS receiver last accepted (equal only while the check is not reloaded), or {@code null}. */
    private LogTailSettings.Forward acceptedBy;

    private SpoolForwarding(Path dir) {
        this.dir = dir;
    }

    static SpoolForwarding load(Path dir) throws IOException {
        SpoolForwarding forwarding = new SpoolForwarding(dir);
        Path file = dir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] fields = line.split("\t");
                if (fields.length == 2) {
                    long offset = Long.parseLong(fields[1]);
                    Path spool = dir.resolve(fields[0]);
                    long size = Files.exists(spool) ? Files.size(spool) : 0;
                    forwarding.offsets.put(fields[0], offset > size ? 0 : offset);
                }
            }
        }
        return forwarding;
    }

    /** Runs the check's forwarder, if it has one, over the spool; a failure becomes a WARNING problem. */
    static void forwardAll(
            LogTailSettings settings,
            TailState state,
            Positions positions,
            dev.patrol.api.CheckContext context,
            String target,
            Problems problems)
            throws IOException {
        LogTailSettings.Forward forward = settings.forward();
        if (forward == null) {
            return;
        }
        SpoolForwarding forwarding = state.forwarding();
        SyslogForwarder forwarder = new SyslogForwarder(
                forward.host(),
                forward.port(),
                forward.appName(),
                target,
                forward.timeout(),
                context.clock(),
                forward.tls(),
                forward.equals(forwarding.acceptedBy));
        Pass pass = forwarding.forward(
                positions,
                forwarder,
                context.check(),
                target,
                path -> Commit.configuredOf(settings, path),
                state,
                forward.batchLines(),
                settings.maxReadPerRun());
        if (pass.failure() != null) {
            forwarding.acceptedBy = null; // the receiver may have changed: make sure again before sending
        } else if (forwarder.accepted()) {
            forwarding.acceptedBy = forward;
        }
        if (pass.failure() != null) {
            problems.add(
                    dev.patrol.api.Status.WARNING,
                    reasonOf(pass.failure()),
                    "forwarding to " + forwarder.describe() + " failed, the spool keeps the lines: "
                            + pass.failure().getMessage());
        }
    }

    /** The closed set counted in {@code patrol_log_forward_failures_total{reason}}, each pre-set to 0. */
    static final List<Reason> FAILURE_REASONS =
            List.of(Reason.CONNECTION_REFUSED, Reason.CONNECTION_FAILED, Reason.TIMEOUT, Reason.TLS_FAILED);

    /** Why a send failed, in {@link #FAILURE_REASONS}: a TLS handshake or record failure is {@code tls_failed}. */
    static Reason reasonOf(IOException failure) {
        if (failure instanceof SSLException) {
            return Reason.TLS_FAILED;
        }
        if (failure instanceof java.net.ConnectException) {
            return Reason.CONNECTION_REFUSED;
        }
        if (failure instanceof java.net.SocketTimeoutException) {
            return Reason.TIMEOUT;
        }
        return Reason.CONNECTION_FAILED;
    }

    long offset(String spoolName) {
        return offsets.getOrDefault(spoolName, 0L);
    }

    void rotated(String spoolName) throws IOException {
        offsets.put(spoolName, 0L);
        save();
    }

    /**
     * Sends what was spooled since the offset of each stream, in batches, at most {@code maxBytes} in all; stops at
     * the first failure, which the next run repeats from the same lines.
     */
    Pass forward(
            Positions positions,
            LogForwarder forwarder,
            String check,
            String target,
            Function<String, String> configuredOf,
            TailState state,
            int batchLines,
            long maxBytes) {
        long sent = 0;
        long budget = maxBytes;
        for (Positions.Entry entry : positions.entries()) {
            String configured = configuredOf.apply(entry.path);
            long offset = offset(entry.spoolName);
            while (offset < entry.spoolLength && budget > 0) {
                List<LogForwarder.Line> batch = new ArrayList<>();
                long end;
                try {
                    int length = (int) Math.min(Math.min(entry.spoolLength - offset, budget), 16L * 1024 * 1024);
                    byte[] data = read(dir.resolve(entry.spoolName), offset, length);
                    end = offset + split(data, batchLines, check, target, entry.path, batch);
                    if (batch.isEmpty()) {
                        break;
                    }
                    forwarder.send(batch);
                    offsets.put(entry.spoolName, end);
                    save();
                } catch (IOException e) {
                    if (configured != null) {
                        TailState.Counters counters = state.counters(configured, List.of());
                        counters.resent += batch.size();
                        counters.forwardFailures.merge(reasonOf(e).label(), 1L, Long::sum);
                    }
                    return new Pass(sent, e);
                }
                if (configured != null) {
                    state.counters(configured, List.of()).forwarded += batch.size();
                }
                sent += batch.size();
                budget -= end - offset;
                offset = end;
            }
        }
        return new Pass(sent, null);
    }

    /** Complete lines of {@code data}, at most {@code max}, without their newlines; returns the bytes they span. */
    private static int split(
            byte[] data, int max, String check, String target, String path, List<LogForwarder.Line> out) {
        int start = 0;
        for (int i = 0; i < data.length && out.size() < max; i++) {
            if (data[i] == '\n') {
                byte[] text = new byte[i - start];
                System.arraycopy(data, start, text, 0, text.length);
                out.add(new LogForwarder.Line(check, target, path, text));
                start = i + 1;
            }
        }
        return start;
    }

    private static byte[] read(Path file, long offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
                // read until full or end of file
            }
            return java.util.Arrays.copyOf(buffer.array(), buffer.position());
        }
    }

    private void save() throws IOException {
        StringBuilder text = new StringBuilder();
        offsets.forEach(
                (name, offset) -> text.append(name).append('\t').append(offset).append('\n'));
        Path temp = dir.resolve(FILE_NAME + ".tmp");
        try (FileChannel channel = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(temp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
