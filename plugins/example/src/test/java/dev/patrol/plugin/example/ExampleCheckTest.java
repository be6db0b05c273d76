package dev.patrol.plugin.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Sample;
import dev.patrol.api.Status;
import dev.patrol.api.Target;
import dev.patrol.testing.TestCheckContext;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ExampleCheckTest {
    /** A bound against a hang, not a timing assertion: every lookup here is answered locally. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final Target LOOPBACK = Target.of("loopback", "127.0.0.1", 22);

    private final TestCheckContext context = context().blockingThreads(2).build();

    @AfterEach
    void closeContext() {
        context.close();
    }

    @Nested
    class Resolving {

        @Test
        void localhostIsOkWithItsAddressCountAndLookupTime() throws Exception {
            CheckResult result = run(check(""), Target.of("local", "localhost", 22));

            assertThat(result.status()).isEqualTo(Status.OK);
            assertThat(result.reason()).isEqualTo(Reason.NONE);
            assertThat(result.summary()).startsWith("localhost resolves to ");
            assertThat(sample(result, "example_addresses")).isGreaterThanOrEqualTo(1);
            assertThat(sample(result, "example_lookup_duration_seconds")).isNotNegative();
        }

        @Test
        void anExpectedAddressThatIsPresentIsOk() throws Exception {
            CheckResult result = run(check("expect-address = \"127.0.0.1\""), LOOPBACK);

            assertThat(result.status()).isEqualTo(Status.OK);
            assertThat(result.output()).isEqualTo("127.0.0.1");
            assertThat(sample(result, "example_addresses")).isEqualTo(1);
        }

        @Test
        void anExpectedAddressThatIsMissingIsCritical() throws Exception {
            CheckResult result = run(check("expect-address = \"192.0.2.10\""), LOOPBACK);

            assertThat(result.status()).isEqualTo(Status.CRITICAL);
            assertThat(result.reason()).isEqualTo(Reason.CHECK_FAILED);
            assertThat(result.summary()).isEqualTo("127.0.0.1 does not resolve to 192.0.2.10, got 127.0.0.1");
            assertThat(sample(result, "example_addresses")).isEqualTo(1);
        }

        @Test
        void fewerAddressesThanWarnBelowIsWarning() throws Exception {
            CheckResult result = run(check("warn-below = 2"), LOOPBACK);

            assertThat(result.status()).isEqualTo(Status.WARNING);
            assertThat(result.reason()).isEqualTo(Reason.CHECK_FAILED);
            assertThat(result.summary()).isEqualTo("127.0.0.1 has 1 addresses, expected at least 2");
        }

        /**
         * NXDOMAIN as the JDK reports it. The resolver is replaced rather than asked about a real name, because tests
         * send nothing beyond loopback, and a DNS query would go to the machine's resolver.
         */
        @Test
        void aNameThatDoesNotResolveIsCriticalDnsFailed() throws Exception {
            ExampleCheck.Resolver nxdomain = host -> {
                throw new java.net.UnknownHostException(host + ": Name or service not known");
            };
            CheckResult result = new ExampleCheck(settings(""), nxdomain)
                    .run(Target.of("nowhere", "no-such-host.patrol-test.invalid", 22), context)
                    .toCompletableFuture()
                    .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

            assertThat(result.status()).isEqualTo(Status.CRITICAL);
            assertThat(result.reason()).isEqualTo(Reason.DNS_FAILED);
            assertThat(result.summary()).startsWith("lookup failed: ").contains("no-such-host.patrol-test.invalid");
            assertThat(sample(result, "example_addresses")).isZero();
        }
    }

    @Nested
    class Blocking {
        private final Semaphore gate = new Semaphore(0);
        private final CountDownLatch started = new CountDownLatch(1);
        private final AtomicInteger lookups = new AtomicInteger();

        /** Like getaddrinfo on a dead resolver: ignores interrupts and returns only when the test opens the gate. */
        private final ExampleCheck.Resolver stuck = host -> {
            lookups.incrementAndGet();
            started.countDown();
            gate.acquireUninterruptibly();
            return new InetAddress[] {InetAddress.getLoopbackAddress()};
        };

        @AfterEach
        void openGate() {
            gate.release(100);
        }

        @Test
        void runReturnsBeforeTheLookupEnds() throws Exception {
            var stage = new ExampleCheck(settings(""), stuck).run(LOOPBACK, context);

            assertThat(started.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(stage.toCompletableFuture()).isNotDone();
            gate.release();
            assertThat(stage.toCompletableFuture()
                            .get(PATIENCE.toSeconds(), TimeUnit.SECONDS)
                            .status())
                    .isEqualTo(Status.OK);
        }

        @Test
        void aRunCancelledBeforeItStartsCompletesAtOnceWithoutALookup() throws Exception {
            context.cancel();

            CheckResult result = new ExampleCheck(settings(""), stuck)
                    .run(LOOPBACK, context)
                    .toCompletableFuture()
                    .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

            assertThat(result.status()).isEqualTo(Status.CRITICAL);
            assertThat(result.reason()).isEqualTo(Reason.TIMEOUT);
            assertThat(lookups).hasValue(0);
        }

        @Test
        void cancellingAStuckLookupCompletesTheStageAndDropsTheLateAnswer() throws Exception {
            var stage =
                    new ExampleCheck(settings(""), stuck).run(LOOPBACK, context).toCompletableFuture();
            assertThat(started.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

            context.cancel();

            CheckResult result = stage.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(result.reason()).isEqualTo(Reason.TIMEOUT);
            assertThat(result.summary()).isEqualTo("lookup of 127.0.0.1 cancelled");
            gate.release();
            await().atMost(PATIENCE).until(() -> gate.availablePermits() == 0);
            assertThat(stage.get()).isSameAs(result);
        }
    }

    @Test
    void aFullExecutorIsAnUnknownResultNotAnException() throws Exception {
        var rejecting = Executors.newSingleThreadExecutor();
        rejecting.shutdown();
        try (TestCheckContext full = context().blockingExecutor(rejecting).build()) {
            CheckResult result =
                    check("").run(LOOPBACK, full).toCompletableFuture().get();

            assertThat(result.status()).isEqualTo(Status.UNKNOWN);
            assertThat(result.reason()).isEqualTo(Reason.NOT_RUN);
            assertThat(result.summary()).contains("no thread free");
        }
    }

    @Test
    void aBugInThePluginFailsTheStageForTheEngineToReport() {
        ExampleCheck.Resolver broken = host -> {
            throw new IllegalStateException("bug");
        };

        CompletableFuture<CheckResult> stage =
                new ExampleCheck(settings(""), broken).run(LOOPBACK, context).toCompletableFuture();

        assertThat(stage)
                .failsWithin(PATIENCE)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class);
    }

    /**
     * A 10 s deadline that never fires by itself: the tests here cancel with {@link TestCheckContext#cancel()}, as the
     * engine would at the deadline, when they want the cancellation.
     */
    private static TestCheckContext.Builder context() {
        return TestCheckContext.builder()
                .check("example-test")
                .timeout(Duration.ofSeconds(10))
                .cancelAtDeadline(false);
    }

    private static ExampleSettings settings(String hocon) {
        return ExampleSettings.from(ReferenceDefaults.block(hocon));
    }

    private static ExampleCheck check(String hocon) {
        return new ExampleCheck(settings(hocon));
    }

    private CheckResult run(ExampleCheck check, Target target)
            throws InterruptedException, ExecutionException, TimeoutException {
        return check.run(target, context).toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    private static double sample(CheckResult result, String name) {
        return result.samples().stream()
                .filter(sample -> sample.name().equals(Sample.SAMPLE_PREFIX + name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + " in " + result.samples()))
                .value();
    }
}
