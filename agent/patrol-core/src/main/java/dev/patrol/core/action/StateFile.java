package dev.patrol.core.action;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValueFactory;
import dev.patrol.api.Status;
import dev.patrol.core.state.PairState;
import dev.patrol.core.state.SeriesKey;
import dev.patrol.core.state.StateType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code <state-dir>/state.json}: the soft/hard state of every pair and the recent runs of every (action, target),
 * so that a restart neither resets a rate limit nor makes a hard-critical pair fire its action again. Written
 * atomically: a temporary file beside it, forced to disk, renamed over the old one, and the directory forced.
 *
 * <p>Not thread-safe; {@link DurableState} serializes access.
 */
public final class StateFile {
    public static final String FILE_NAME = "state.json";

    /** What a file holds. */
    public record Saved(Map<SeriesKey, PairState> pairs, Map<GuardBook.Key, List<Instant>> runs) {
        static final Saved EMPTY = new Saved(Map.of(), Map.of());
    }

    private final Path file;

    public StateFile(Path stateDir) {
        this.file = stateDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    public void save(Saved saved) throws IOException {
        List<Object> pairs = new ArrayList<>();
        saved.pairs().forEach((key, state) -> {
            Map<String, Object> pair = new LinkedHashMap<>();
            pair.put("check", key.check());
            pair.put("target", key.target());
            pair.put("status", state.status().label());
            pair.put("type", state.type().label());
            pair.put("attempt", state.attempt());
            pair.put("max-attempts", state.maxAttempts());
            pair.put("hard-status", state.hardStatus().label());
            pair.put("history", state.history().stream().map(Status::label).toList());
            pair.put("flapping", state.flapping());
            pair.put("flap-percent", state.flapPercent());
            pairs.add(pair);
        });
        List<Object> runs = new ArrayList<>();
        saved.runs()
                .forEach((key, times) -> runs.add(Map.of(
                        "action", key.action(),
                        "target", key.target(),
                        "times", times.stream().map(Instant::toEpochMilli).toList())));
        String json =
                ConfigValueFactory.fromMap(Map.of("pairs", pairs, "runs", runs)).render(ConfigRenderOptions.concise());
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve(FILE_NAME + ".tmp");
        try (FileChannel channel = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the rename itself is still atomic.
        }
    }

    /** The saved state, or nothing when there is no file yet. */
    public Saved load() throws IOException {
        if (!Files.exists(file)) {
            return Saved.EMPTY;
        }
        Config root = ConfigFactory.parseString(
                Files.readString(file, StandardCharsets.UTF_8),
                ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
        Map<SeriesKey, PairState> pairs = new TreeMap<>();
        for (Config pair : root.getConfigList("pairs")) {
            pairs.put(
                    new SeriesKey(pair.getString("check"), pair.getString("target")),
                    new PairState(
                            status(pair.getString("status")),
                            StateType.valueOf(pair.getString("type").toUpperCase(Locale.ROOT)),
                            pair.getInt("attempt"),
                            pair.getInt("max-attempts"),
                            status(pair.getString("hard-status")),
                            pair.getStringList("history").stream()
                                    .map(StateFile::status)
                                    .toList(),
                            pair.getBoolean("flapping"),
                            pair.getDouble("flap-percent")));
        }
        Map<GuardBook.Key, List<Instant>> runs = new TreeMap<>();
        for (Config run : root.getConfigList("runs")) {
            runs.put(
                    new GuardBook.Key(run.getString("action"), run.getString("target")),
                    run.getLongList("times").stream().map(Instant::ofEpochMilli).toList());
        }
        return new Saved(pairs, runs);
    }

    private static Status status(String label) {
        return Status.valueOf(label.toUpperCase(Locale.ROOT));
    }
}
