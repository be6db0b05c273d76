package dev.patrol.plugin.example;

import dev.patrol.api.CheckContext;
import dev.patrol.api.CheckDefinition;
import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Sample;
import dev.patrol.api.Target;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;

/**
 * Resolves a target's host name and judges the answer: CRITICAL ({@code dns_failed}) when it does not resolve,
 * CRITICAL ({@code check_failed}) when {@code expect-address} is missing from it, WARNING ({@code check_failed}) when it
 * has fewer than {@code warn-below} addresses, else OK. Reports {@code patrol_sample_example_addresses} and
 * {@code patrol_sample_example_lookup_duration_seconds}.
 *
 * <p>The lesson of this template: {@link InetAddress#getAllByName} blocks, for as long as the system resolver takes.
 * So {@link #run} only hands the lookup to {@link CheckContext#blockingExecutor()} and returns a stage at once; and
 * since a stuck lookup cannot be interrupted, {@link CheckContext#cancelled()} completes the stage without waiting for
 * it. There is no timer here: the engine completes {@code cancelled()} when the deadline passes.
 *
 * <p>Immutable and thread-safe: one instance runs against many targets at once.
 */
final class ExampleCheck implements CheckDefinition {

    /** The blocking call, replaceable in tests by one that never returns. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final ExampleSettings settings;
    private final Resolver resolver;

    ExampleCheck(ExampleSettings settings) {
        this(settings, InetAddress::getAllByName);
    }

    ExampleCheck(ExampleSettings settings, Resolver resolver) {
        this.settings = settings;
        this.resolver = resolver;
    }

    @Override
    public CompletionStage<CheckResult> run(Target target, CheckContext context) {
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        FutureTask<Void> lookup = new FutureTask<>(
                () -> {
                    try {
                        result.complete(lookUp(target.host(), context));
                    } catch (RuntimeException e) {
                        // A bug: fail the stage so the engine reports plugin_error now, not a timeout later.
                        result.completeExceptionally(e);
                    }
                },
                null);
        // Registered before the task is handed over, so a run cancelled already never starts its lookup. cancel(true)
        // drops a task still queued and interrupts a running one; getaddrinfo ignores the interrupt, so the stage is
        // completed here and the late answer, if any, is dropped by complete().
        context.cancelled().thenRun(() -> {
            lookup.cancel(true);
            result.complete(CheckResult.critical(Reason.TIMEOUT, "lookup of " + target.host() + " cancelled"));
        });
        try {
            context.blockingExecutor().execute(lookup);
        } catch (RejectedExecutionException e) {
            result.complete(
                    CheckResult.unknown(Reason.NOT_RUN, "no thread free for the lookup: the agent is overloaded"));
        }
        return result;
    }

    /** Runs on a blocking-executor thread. */
    private CheckResult lookUp(String host, CheckContext context) {
        long start = System.nanoTime(); // monotonic, unlike the wall clock, so a clock step cannot skew the duration
        try {
            InetAddress[] addresses = resolver.resolve(host);
            Sample seconds = lookupDuration(start);
            context.log().log(System.Logger.Level.DEBUG, "Resolved {0} to {1} addresses", host, addresses.length);
            return judge(host, List.of(addresses)).withSamples(List.of(addressCount(addresses.length), seconds));
        } catch (UnknownHostException e) {
            // A name that does not resolve is the answer this check exists to give, not a plugin error.
            Sample seconds = lookupDuration(start);
            String why = e.getMessage() == null ? host : e.getMessage();
            return CheckResult.critical(Reason.DNS_FAILED, "lookup failed: " + why)
                    .withSamples(List.of(addressCount(0), seconds));
        }
    }

    private CheckResult judge(String host, List<InetAddress> addresses) {
        String found = addresses.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
        String output = addresses.stream().map(InetAddress::getHostAddress).collect(Collectors.joining("\n"));
        InetAddress expected = settings.expectAddress();
        // InetAddress.equals compares the address bytes only, never the host name the address came with.
        if (expected != null && !addresses.contains(expected)) {
            return CheckResult.critical(
                            Reason.CHECK_FAILED,
                            host + " does not resolve to " + expected.getHostAddress() + ", got " + found)
                    .withOutput(output);
        }
        if (addresses.size() < settings.warnBelow()) {
            return CheckResult.warning(
                            Reason.CHECK_FAILED,
                            host + " has " + addresses.size() + " addresses, expected at least " + settings.warnBelow())
                    .withOutput(output);
        }
        return CheckResult.ok(host + " resolves to " + found).withOutput(output);
    }

    private static Sample addressCount(int count) {
        return Sample.gauge("example_addresses", count);
    }

    private static Sample lookupDuration(long start) {
        return Sample.gauge("example_lookup_duration_seconds", (System.nanoTime() - start) / 1e9);
    }
}
