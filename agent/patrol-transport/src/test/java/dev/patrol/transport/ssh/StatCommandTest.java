package dev.patrol.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patrol.api.CommandResult;
import dev.patrol.api.FileListing;
import dev.patrol.api.RemoteFile;
import dev.patrol.api.SshFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatCommandTest {
    @TempDir
    Path dir;

    @Test
    void onlyStarAndQuestionMarkReachTheShellUnquoted() {
        assertThat(StatCommand.quoteGlob("/var/log/app's $(x) `y`;z/*.lo?"))
                .isEqualTo("'/var/log/app'\\''s $(x) `y`;z/'*'.lo'?");
    }

    @Test
    void aRealShellExpandsTheQuotedGlobAndNothingElse() throws Exception {
        Path weird = Files.createDirectories(dir.resolve("a $(touch pwned) 'b' \"c\"; d"));
        Files.writeString(weird.resolve("one.log"), "12345");
        Files.writeString(weird.resolve("two.log"), "");
        Files.createDirectories(weird.resolve("sub.log"));
        String command = StatCommand.command(List.of(weird + "/*.log", weird + "/none*"), 10);

        Process shell =
                new ProcessBuilder("sh", "-c", command).directory(dir.toFile()).start();
        String out = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shell.waitFor(20, TimeUnit.SECONDS)).isTrue();
        FileListing listing = StatCommand.parse(new CommandResult(shell.exitValue(), "", out, "", false), 10, "here");

        assertThat(listing.files())
                .extracting(RemoteFile::path, RemoteFile::type)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(weird + "/one.log", RemoteFile.Type.FILE),
                        org.assertj.core.groups.Tuple.tuple(weird + "/sub.log", RemoteFile.Type.DIRECTORY),
                        org.assertj.core.groups.Tuple.tuple(weird + "/two.log", RemoteFile.Type.FILE));
        assertThat(listing.files().get(0).size()).isEqualTo(5);
        assertThat(listing.files().get(0).identity()).matches("\\d+:\\d+");
        assertThat(listing.truncated()).isFalse();
        assertThat(Files.exists(dir.resolve("pwned"))).isFalse();
    }

    @Test
    void moreFilesThanAskedForAreCappedAndSaidSo() {
        String out = "patrol-stat\n1:1 1 regular file|/a\n1:2 1 regular file|/b\n1:3 1 regular file|/c\n";
        FileListing listing = StatCommand.parse(new CommandResult(0, "", out, "", false), 2, "here");

        assertThat(listing.files()).hasSize(2);
        assertThat(listing.truncated()).isTrue();
    }

    @Test
    void aSystemWithoutStatIsAClearFailure() {
        assertThatThrownBy(() -> StatCommand.parse(new CommandResult(127, "", "", "", false), 2, "web-1"))
                .isInstanceOf(SshFailure.class)
                .hasMessageContaining("no stat command");
    }
}
