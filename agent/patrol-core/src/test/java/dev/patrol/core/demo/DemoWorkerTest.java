package dev.patrol.core.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DemoWorkerTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final DemoWorker worker = new DemoWorker(clock);

    private int run(String command, ByteArrayOutputStream out) throws Exception {
        PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
        return worker.programs().get(command).run(stream, stream);
    }

    @Test
    void crashesAfterItsLifetimeUntilRestarted() throws Exception {
        assertThat(run("check_worker", new ByteArrayOutputStream())).isZero();

        now.set(now.get().plus(DemoWorker.LIFETIME));
        ByteArrayOutputStream crashed = new ByteArrayOutputStream();
        assertThat(run("check_worker", crashed)).isEqualTo(2);
        assertThat(crashed.toString(StandardCharsets.UTF_8)).startsWith("WORKER CRITICAL");

        assertThat(run("restart_worker", new ByteArrayOutputStream())).isZero();
        assertThat(run("check_worker", new ByteArrayOutputStream())).isZero();
    }

    @Test
    void theDemoServerKnowsBothCommands() {
        DemoPrograms programs = new DemoPrograms(clock, java.nio.file.Path.of("/"), java.nio.file.Path.of("/none"));

        assertThat(programs.all()).containsKeys("check_worker", "restart_worker", "check_load");
    }
}
