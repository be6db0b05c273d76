package dev.patrol.e2e;

import static org.awaitility.Awaitility.await;

import dev.patrol.core.Agent;
import dev.patrol.core.config.ConfigLoader;
import dev.patrol.core.demo.DemoConfig;
import dev.patrol.core.demo.DemoSshServer;
import dev.patrol.core.demo.DemoTargets;
import dev.patrol.testing.TestPorts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code patrol demo} starts, in-process for tests: the embedded HTTP and SSH targets and an agent on a free
 * loopback port running the shipped demo configuration. Close it to stop all three.
 */
final class RunningDemo implements AutoCloseable {
    private final DemoTargets targets;
    private final DemoSshServer ssh;
    private final Agent agent;

    private RunningDemo(DemoTargets targets, DemoSshServer ssh, Agent agent) {
        this.targets = targets;
        this.ssh = ssh;
        this.agent = agent;
    }

    static RunningDemo start() throws IOException {
        Path dir = DemoConfig.directory();
        DemoTargets targets = DemoTargets.start();
        DemoSshServer ssh = null;
        try {
            ssh = DemoSshServer.start(dir.resolve("ssh"));
            Path config = DemoConfig.write(dir, targets, ssh, "127.0.0.1:" + TestPorts.free());
            return new RunningDemo(
                    targets, ssh, Agent.start(() -> ConfigLoader.discovering().load(config)));
        } catch (IOException | RuntimeException e) {
            if (ssh != null) {
                ssh.close();
            }
            targets.close();
            throw e;
        }
    }

    Agent agent() {
        return agent;
    }

    DemoTargets targets() {
        return targets;
    }

    /** Waits until every (check, target) pair has a result; per-check families appear with the first one. */
    void awaitOneCycle() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> agent.store().all().stream()
                        .allMatch(series -> series.last().isPresent()));
    }

    @Override
    public void close() {
        agent.close();
        ssh.close();
        targets.close();
    }
}
