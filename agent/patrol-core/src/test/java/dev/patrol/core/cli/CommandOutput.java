package dev.patrol.core.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code patrol ARGS} in this JVM as the launcher would (minus {@code System.exit}), with stdout and stderr
 * captured apart. Logback's console appender writes to whatever {@code System.err} is at each line, so log lines
 * land in {@link #stderr()}.
 */
record CommandOutput(int exitCode, String stdout, String stderr) {
    /** A log line as logback.xml formats it: optional timestamp or priority prefix, then the level. */
    static final String LOG_LINE = "(?m)^(\\S+ |<\\d>)?(TRACE|DEBUG|INFO|WARN|ERROR) +\\S+ - .*";

    static CommandOutput patrol(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exitCode;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            exitCode = Main.commandLine().execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new CommandOutput(
                exitCode, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }
}
