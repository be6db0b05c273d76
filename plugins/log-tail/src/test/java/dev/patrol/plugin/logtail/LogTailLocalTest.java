package dev.patrol.plugin.logtail;

import static dev.patrol.plugin.logtail.LogTailTestSupport.check;
import static dev.patrol.plugin.logtail.LogTailTestSupport.runLocal;
import static dev.patrol.plugin.logtail.LogTailTestSupport.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tailing logic against files on this machine ({@code source = local}): rotation, partial lines, bad input. */
class LogTailLocalTest {
    @TempDir
    Path dir;

    @AfterEach
    void forget() {
        LogTailTestSupport.forgetState();
    }

    private Path logs() throws IOException {
        return Files.createDirectories(dir.resolve("logs dir 'quoted'"));
    }

    private LogTailCheck checkFor(Path log, String more) {
        return check("source = local, start-at = beginning, paths = [\"" + log + "\"], patterns { errors = \"ERROR\" }"
                + more);
    }

    private Path spoolFile(Path log) {
        String name = log.toString().substring(1).replace('/', '_').replaceAll("[^A-Za-z0-9._-]", "_");
        return dir.resolve("state/spool/logs/local").resolve(name);
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void spoolsCompleteLinesOnceAndHoldsAPartialLine() throws Exception {
        Path log = logs().resolve("app.log");
        append(log, "one\nERROR two\nthr");
        LogTailCheck check = checkFor(log, "");

        CheckResult first = runLocal(check, dir.resolve("state"));
        append(log, "ee\n");
        CheckResult second = runLocal(check, dir.resolve("state"));
        CheckResult third = runLocal(check, dir.resolve("state"));

        assertThat(first.status()).as(first.summary()).isEqualTo(Status.OK);
        assertThat(Files.readString(spoolFile(log))).isEqualTo("one\nERROR two\nthree\n");
        Map<String, String> path = Map.of("path", log.toString());
        assertThat(sample(third, "patrol_log_lines_total", path)).isEqualTo(3);
        assertThat(sample(third, "patrol_log_bytes_total", path)).isEqualTo(20);
        assertThat(sample(third, "patrol_log_lag_bytes", path)).isZero();
        assertThat(sample(
                        third, "patrol_log_pattern_matches_total", Map.of("path", log.toString(), "pattern", "errors")))
                .isEqualTo(1);
        assertThat(second.output()).contains("last line: \"three\"");
    }

    @Test
    void aPollThatFindsNothingNewRewritesNoPositions() throws Exception {
        Path log = logs().resolve("app.log");
        append(log, "one\n");
        LogTailCheck check = checkFor(log, "");
        runLocal(check, dir.resolve("state"));
        Path positions = dir.resolve("state/spool/logs/local").resolve(Positions.FILE_NAME);
        Object first =
                Files.readAttributes(positions, BasicFileAttributes.class).fileKey();

        runLocal(check, dir.resolve("state"));
        Object afterIdlePoll =
                Files.readAttributes(positions, BasicFileAttributes.class).fileKey();
        append(log, "two\n");
        runLocal(check, dir.resolve("state"));

        assertThat(afterIdlePoll).as("nothing new: no rewrite, no fsync").isEqualTo(first);
        assertThat(Files.readAttributes(positions, BasicFileAttributes.class).fileKey())
                .as("new lines: saved by a rename")
                .isNotEqualTo(first);
        assertThat(Files.readString(spoolFile(log))).isEqualTo("one\ntwo\n");
    }

    @Test
    void startAtEndSkipsWhatIsThereOnTheFirstRun() throws Exception {
        Path log = logs().resolve("app.log");
        append(log, "old\n");
        LogTailCheck check = check("source = local, paths = [\"" + log + "\"]");
        runLocal(check, dir.resolve("state"));
        append(log, "new\n");
        runLocal(check, dir.resolve("state"));

        assertThat(Files.readString(spoolFile(log))).isEqualTo("new\n");
    }

    @Test
    void renameRotationFinishesTheOldFileFirst() throws Exception {
        Path log = logs().resolve("app.log");
        append(log, "1\n2\n");
        LogTailCheck check = checkFor(log, "");
        runLocal(check, dir.resolve("state"));
        append(log, "3\n");
        Files.move(log, log.resolveSibling("app.log.1"));
        append(log, "4\n");

        runLocal(check, dir.resolve("state"));
        CheckResult last = runLocal(check, dir.resolve("state"));

        assertThat(Files.readString(spoolFile(log))).isEqualTo("1\n2\n3\n4\n");
        assertThat(sample(last, "patrol_log_rotations_total", Map.of("path", log.toString())))
                .isEqualTo(1);
    }

    @Test
    void copyTruncateStartsAgainAtZero() throws Exception {
        Path log = logs().resolve("app.log");
        append(log, "first line\nsecond line\n");
        LogTailCheck check = checkFor(log, "");
        runLocal(check, dir.resolve("state"));
        Files.writeString(log, "x\n", StandardOpenOption.TRUNCATE_EXISTING);

        CheckResult result = runLocal(check, dir.resolve("state"));

        assertThat(Files.readString(spoolFile(log))).isEqualTo("first line\nsecond line\nx\n");
        assertThat(sample(result, "patrol_log_rotations_total", Map.of("path", log.toString())))
                .isEqualTo(1);
    }

    @Test
    void aCrashAfterSpoolingButBeforeThePositionsIsCutBack() throws Exception {
        Path log = logs().resolve("app.log");
        append(log, "a\n");
        LogTailCheck check = checkFor(log, "");
        runLocal(check, dir.resolve("state"));
        // What a kill -9 between "spool forced" and "positions renamed" leaves: spooled bytes nobody committed.
        append(spoolFile(log), "b\n");
        append(log, "b\n");
        LogTailTestSupport.forgetState();

        runLocal(check, dir.resolve("state"));

        assertThat(Files.readString(spoolFile(log))).isEqualTo("a\nb\n");
    }

    @Test
    void longLinesAreSplitAndCountedAndBytesKeptAsTheyAre() throws Exception {
        Path log = logs().resolve("app.log");
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0xc3, '\n'};
        Files.write(log, binary);
        append(log, "y".repeat(5 * 1024 * 1024) + "\n");
        LogTailCheck check = checkFor(log, ", max-line-length = 64KiB");

        CheckResult result = runLocal(check, dir.resolve("state"));

        byte[] spooled = Files.readAllBytes(spoolFile(log));
        assertThat(spooled).startsWith(binary);
        assertThat(spooled.length).isEqualTo(binary.length + 5 * 1024 * 1024 + 80);
        Map<String, String> path = Map.of("path", log.toString());
        // 80 pieces of 64 KiB: the first 79 are cut from a longer line, the last ends at the newline.
        assertThat(sample(result, "patrol_log_lines_truncated_total", path)).isEqualTo(79);
        assertThat(sample(result, "patrol_log_lines_total", path)).isEqualTo(81);
    }

    @Test
    void badPathsHaveAStatusAndAReason() throws Exception {
        Path logs = logs();
        Files.createDirectories(logs.resolve("adir.log"));
        Path locked = logs.resolve("locked.log");
        append(locked, "secret\n");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        Path ok = logs.resolve("ok.log");
        append(ok, "fine\n");

        CheckResult missing = runLocal(checkFor(logs.resolve("missing.log"), ""), dir.resolve("s1"));
        CheckResult noMatch =
                runLocal(check("source = local, paths = [\"" + logs + "/*.nothing\"]"), dir.resolve("s2"));
        CheckResult directory = runLocal(checkFor(logs.resolve("adir.log"), ""), dir.resolve("s3"));
        CheckResult mixed = runLocal(
                check("source = local, start-at = beginning, paths = [\"" + locked + "\", \"" + ok + "\"]"),
                dir.resolve("s4"));

        assertThat(missing.reason()).isEqualTo(Reason.FILE_MISSING);
        assertThat(missing.summary()).contains("missing.log does not exist");
        assertThat(noMatch.reason()).isEqualTo(Reason.FILE_MISSING);
        assertThat(noMatch.summary()).contains("no file matches");
        assertThat(directory.reason()).isEqualTo(Reason.NOT_A_FILE);
        assertThat(directory.status()).isEqualTo(Status.CRITICAL);
        if (!"root".equals(System.getProperty("user.name"))) {
            assertThat(mixed.reason()).isEqualTo(Reason.FILE_UNREADABLE);
        }
        assertThat(Files.readString(
                        dir.resolve("s4/spool/logs/local").resolve(spoolFile(ok).getFileName())))
                .isEqualTo("fine\n");
    }

    @Test
    void aGlobMatchingTooManyFilesIsCappedAndReported() throws Exception {
        Path logs = logs();
        for (int i = 0; i < 30; i++) {
            append(logs.resolve("f" + i + ".log"), "line " + i + "\n");
        }
        CheckResult result = runLocal(
                check("source = local, start-at = beginning, max-files = 10, paths = [\"" + logs + "/*.log\"]"),
                dir.resolve("state"));

        assertThat(result.reason()).isEqualTo(Reason.TOO_MANY_FILES);
        try (var files = Files.list(dir.resolve("state/spool/logs/local"))) {
            assertThat(files.filter(f -> !f.getFileName().toString().startsWith(".") && Files.isRegularFile(f)))
                    .hasSize(10);
        }
    }

    @Test
    void aFullSpoolStopsReadingAndSaysSo() throws Exception {
        Path log = logs().resolve("app.log");
        append(log, "z".repeat(100) + "\n");
        LogTailCheck check = checkFor(log, ", spool { max-bytes = 8KiB, max-file-bytes = 4KiB }");
        for (int i = 0; i < 100; i++) {
            append(log, "z".repeat(100) + "\n");
            runLocal(check, dir.resolve("state"));
        }
        CheckResult full = runLocal(check, dir.resolve("state"));

        assertThat(full.reason()).isEqualTo(Reason.SPOOL_FULL);
        assertThat(full.summary()).contains("spool.max-bytes");
        assertThat(sample(full, "patrol_log_lag_bytes", Map.of("path", log.toString())))
                .isPositive();
        try (var rotated = Files.list(dir.resolve("state/spool/logs/local/rotated"))) {
            assertThat(rotated.count()).isPositive();
        }
    }

    @Test
    void aGlobMatchedFileGoneForGoodEndsItsStreamAndKeepsItsLines() throws Exception {
        Path logs = logs();
        Path day1 = logs.resolve("day1.log");
        append(day1, "one\n");
        LogTailCheck check = check("source = local, start-at = beginning, paths = [\"" + logs + "/*.log\"]");
        runLocal(check, dir.resolve("state"));
        Files.delete(day1);
        append(logs.resolve("day2.log"), "two\n");

        runLocal(check, dir.resolve("state"));
        LogTailTestSupport.forgetState();
        runLocal(check, dir.resolve("state"));

        Path spool = dir.resolve("state/spool/logs/local");
        assertThat(Files.readString(spool.resolve(".positions")))
                .doesNotContain("day1")
                .contains("day2");
        try (var rotated = Files.list(spool.resolve("rotated"))) {
            List<Path> files = rotated.toList();
            assertThat(files).hasSize(1);
            assertThat(Files.readString(files.get(0))).isEqualTo("one\n");
        }
        assertThat(Files.readString(spoolFile(logs.resolve("day2.log")))).isEqualTo("two\n");
    }
}
