package dev.patrol.plugin.logtail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.FileListing;
import dev.patrol.api.RemoteFileReader;
import dev.patrol.testing.TestCheckContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rename racing the lookup of files (issue 9, seen once in {@link LogTailKillIT} at load 16): the remote shell
 * expands {@code app.log*}, the file is renamed to {@code app.log.1} and the writer creates a new {@code app.log},
 * and only then does {@code stat} look at each expanded name. That one listing holds the new file at the path and
 * not the renamed one, which looks exactly like a file deleted and replaced. The unread rest of the renamed file must
 * still be spooled, once, before the new file. Also: the rest of a renamed file whose read the budget cut is spooled
 * line by line, not as one last line.
 */
class LogTailRenameRaceTest {
    @TempDir
    Path dir;

    @AfterEach
    void forget() {
        LogTailTestSupport.forgetState();
    }

    /** Local files, except that one armed lookup renames the log in the middle, as a racing logrotate would. */
    private static final class RacingSource implements FileSource {
        private final LocalFileSource local = new LocalFileSource(Runnable::run);
        private final Path log;
        private boolean armed;

        RacingSource(Path log) {
            this.log = log;
        }

        @Override
        public CompletionStage<FileListing> stat(List<String> patterns, int maxFiles) {
            if (!armed) {
                return local.stat(patterns, maxFiles);
            }
            armed = false;
            Path rotated = log.resolveSibling(log.getFileName() + ".1");
            try {
                Files.move(log, rotated); // after the glob was expanded to the old names ...
                append(log, "new 1\n"); // ... and the writer reopened the path ...
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            FileListing listing = LocalFileSource.list(patterns, maxFiles); // ... before stat looked at each name
            return CompletableFuture.completedFuture(new FileListing(
                    listing.files().stream()
                            .filter(file -> !file.path().equals(rotated.toString()))
                            .toList(),
                    listing.truncated()));
        }

        @Override
        public CompletionStage<RemoteFileReader> openReader() {
            return local.openReader();
        }
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private void run(LogTailCheck check, FileSource source) throws Exception {
        Path state = dir.resolve("state");
        try (TestCheckContext context = TestCheckContext.builder()
                .check("logs")
                .timeout(Duration.ofSeconds(30))
                .stateDir(state)
                .blockingThreads(1)
                .build()) {
            TailState tail = TailState.of(state.resolve("spool/logs/local"));
            synchronized (tail) {
                new TailRun(check.settings(), check.patterns(), tail, source, context, "local").run();
            }
        }
    }

    @Test
    void theRestOfAFileRenamedDuringTheLookupIsSpooledBeforeTheNewFile() throws Exception {
        Path log = Files.createDirectories(dir.resolve("logs")).resolve("app.log");
        append(log, "old 1\nold 2\n");
        LogTailCheck check =
                LogTailTestSupport.check("source = local, start-at = beginning, paths = [\"" + log + "\"]");
        RacingSource source = new RacingSource(log);
        run(check, source);
        append(log, "old 3\nold 4\n"); // not read yet when the file is renamed

        source.armed = true;
        run(check, source);
        LogTailTestSupport.forgetState(); // and a kill -9: the next agent starts from the saved positions
        for (int i = 0; i < 3; i++) {
            run(check, source);
        }

        Path spool = dir.resolve("state/spool/logs/local")
                .resolve(log.toString().substring(1).replace('/', '_'));
        assertThat(Files.readString(spool)).isEqualTo("old 1\nold 2\nold 3\nold 4\nnew 1\n");
    }

    @Test
    void aRenamedFileCutByTheReadBudgetKeepsItsLinesApart() throws Exception {
        Path log = Files.createDirectories(dir.resolve("logs")).resolve("app.log");
        append(log, "line 0000\n");
        LogTailCheck check = LogTailTestSupport.check("source = local, start-at = beginning, paths = [\"" + log
                + "\"], max-read-per-run = 4KiB, max-line-length = 256B");
        LocalFileSource source = new LocalFileSource(Runnable::run);
        run(check, source);
        StringBuilder expected = new StringBuilder("line 0000\n");
        for (int i = 1; i < 420; i++) {
            String line = String.format("line %04d%n", i);
            append(log, line);
            expected.append(line);
        }
        Files.move(log, log.resolveSibling("app.log.1"));
        append(log, "new 1\n");
        expected.append("new 1\n");

        for (int i = 0; i < 4; i++) {
            run(check, source);
        }

        Path spool = dir.resolve("state/spool/logs/local")
                .resolve(log.toString().substring(1).replace('/', '_'));
        assertThat(Files.readString(spool)).isEqualTo(expected.toString());
    }
}
