package dev.patrol.core.web;

import dev.patrol.testing.TestPeers;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code curl} binary against 127.0.0.1; skips the test when curl is missing (fails under CI). */
final class Curl {
    /** curl's exit code for "operation timed out". */
    static final int TIMED_OUT = 28;

    record Result(int exitCode, String stdout, String stderr) {
        /** The status code printed by {@code -w '%{http_code}'}, as the last three characters of stdout. */
        int status() {
            return Integer.parseInt(stdout.substring(stdout.length() - 3));
        }
    }

    private Curl() {}

    /** {@code curl -sS --max-time 10 -o body -w %{http_code} ARGS URL}; the body is in {@link Result#stdout()}. */
    static Result run(Path dir, String... args) throws IOException, InterruptedException {
        Path curl = TestPeers.require("curl");
        List<String> command =
                new ArrayList<>(List.of(curl.toString(), "-sS", "--max-time", "10", "-w", "%{http_code}"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(dir.resolve("curl-stderr.txt").toFile())
                .start();
        byte[] stdout = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("curl did not finish within 30 s");
        }
        String stderr = java.nio.file.Files.readString(dir.resolve("curl-stderr.txt"));
        return new Result(process.exitValue(), new String(stdout, StandardCharsets.UTF_8), stderr);
    }
}
