package dev.patrol.e2e;

import static org.awaitility.Awaitility.await;

import dev.patrol.core.Agent;
import dev.patrol.core.demo.Demo;
import dev.patrol.core.demo.DemoTargets;
import dev.patrol.testing.TestPorts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code patrol demo} starts, in-process for tests: the embedded HTTP and SSH targets and an agent on a free
 * loopback port running the shipped demo configuration. Close it to stop all three and delete the demo's temp folder.
 */
final class RunningDemo implements AutoCloseable {
    private final Demo demo;

    private RunningDemo(Demo demo) {
        this.demo = demo;
    }

    static RunningDemo start() throws IOException {
        return new RunningDemo(Demo.start("127.0.0.1:" + TestPorts.free()));
    }

    Agent agent() {
        return demo.agent();
    }

    DemoTargets targets() {
        return demo.targets();
    }

    /** The demo's temp folder (keys, config, state); gone once closed. */
    Path directory() {
        return demo.directory();
    }

    /** Waits until every (check, target) pair has a result; per-check families appear with the first one. */
    void awaitOneCycle() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> agent().store().all().stream()
                        .allMatch(series -> series.last().isPresent()));
    }

    @Override
    public void close() {
        demo.close();
    }
}
