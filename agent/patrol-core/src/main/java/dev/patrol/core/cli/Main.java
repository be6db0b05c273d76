package dev.patrol.core.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code patrol}: the one launcher. Each subcommand is its own class. */
@Command(
        name = "patrol",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Watches a fleet over SSH and HTTP and exposes the results to Prometheus.",
        subcommands = {
            RunCommand.class,
            CheckConfigCommand.class,
            TestCheckCommand.class,
            RunJobCommand.class,
            DemoCommand.class,
            AuditCommand.class,
            VersionCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        commonPoolOfAtLeastTwo();
        smallHttpClientBuffers();
        LoggingSupport.routeJdkLogging();
        System.exit(commandLine().execute(args));
    }

    /**
     * On a 2-CPU machine the common ForkJoinPool gets one thread, and CompletableFuture's default async executor then
     * starts a new thread for every task; the JDK HTTP client completes responses that way, so each check cost a
     * thread start (measured: 0.18 instead of 0.10 CPU-ms per HTTP check). Must run before anything touches
     * ForkJoinPool; an explicit -D setting wins.
     */
    static void commonPoolOfAtLeastTwo() {
        String property = "java.util.concurrent.ForkJoinPool.common.parallelism";
        if (System.getProperty(property) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(property, "2");
        }
    }

    /**
     * The JDK HTTP client keeps a read buffer of {@code jdk.httpclient.bufsize} bytes (16 KiB by default) with every
     * idle pooled connection, and Patrol keeps one connection per HTTP target: at 10,000 targets that was 122 MB of
     * a 256 MB heap, and the agent ran out of memory (bench/scale.sh, docs/BENCHMARKS.md "Scale"). A check's response
     * head is a few hundred bytes and its body is capped, so small reads cost nothing measurable: 1 KiB against 4 KiB
     * took 2.1 KB less heap per target and the same CPU per check at 400 checks/s (bench/http.sh --fleet). Must run
     * before the first HTTP client is built; an explicit -D setting wins.
     */
    static void smallHttpClientBuffers() {
        if (System.getProperty(HTTP_CLIENT_BUFFER_PROPERTY) == null) {
            System.setProperty(HTTP_CLIENT_BUFFER_PROPERTY, String.valueOf(HTTP_CLIENT_BUFFER_BYTES));
        }
    }

    static final String HTTP_CLIENT_BUFFER_PROPERTY = "jdk.httpclient.bufsize";
    static final int HTTP_CLIENT_BUFFER_BYTES = 1024;

    /** The command line with Patrol's exit-code conventions: 1 for bad input, 2 for usage errors. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExitCodeExceptionMapper(error -> 1);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
