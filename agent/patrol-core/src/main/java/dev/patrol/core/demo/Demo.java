package dev.patrol.core.demo;

import dev.patrol.core.Agent;
import dev.patrol.core.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code patrol demo} runs: the embedded HTTP and SSH targets and an agent monitoring them with the shipped demo
 * configuration, all from one temp folder ({@link DemoConfig#directory()}) that holds the demo's private SSH keys,
 * its config and its state. The folder belongs to the demo: it is deleted when the demo fails to start and when it is
 * closed, so that no private key is left in {@code /tmp} whichever way the demo ends (close it from a shutdown hook for
 * Ctrl-C and SIGTERM).
 *
 * <pre>{@code
 * try (Demo demo = Demo.start("127.0.0.1:9740")) {
 *     System.out.println(demo.agent().port());
 * }
 * }</pre>
 *
 * <p>Thread-safe: {@link #close()} may be called from several threads; only the first does the work.
 */
public final class Demo implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(Demo.class);

    private final Path directory;
    private final DemoTargets targets;
    private final DemoSshServer ssh;
    private final Agent agent;
    private final Path configFile;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Demo(Path directory, DemoTargets targets, DemoSshServer ssh, Agent agent, Path configFile) {
        this.directory = directory;
        this.targets = targets;
        this.ssh = ssh;
        this.agent = agent;
        this.configFile = configFile;
    }

    /**
     * Starts the targets and the agent, whose web endpoint listens on {@code listen} ({@code host:port}).
     *
     * @throws UncheckedIOException when the web endpoint cannot listen
     * @throws dev.patrol.api.InvalidSettingsException when the shipped demo config does not validate (a bug)
     */
    public static Demo start(String listen) throws IOException {
        return start(listen, DemoConfig.directory());
    }

    /** As {@link #start(String)}, with the demo's files in {@code directory}, which the demo then owns. */
    static Demo start(String listen, Path directory) throws IOException {
        DemoTargets targets = null;
        DemoSshServer ssh = null;
        try {
            targets = DemoTargets.start();
            ssh = DemoSshServer.start(directory.resolve("ssh"));
            Path configFile = DemoConfig.write(directory, targets, ssh, listen);
            ConfigLoader loader = ConfigLoader.discovering();
            Agent agent = Agent.start(() -> loader.load(configFile));
            return new Demo(directory, targets, ssh, agent, configFile);
        } catch (IOException | RuntimeException | Error e) {
            // Nothing is monitoring them: the embedded servers' threads must not keep the JVM alive, nor the keys stay.
            if (ssh != null) {
                ssh.close();
            }
            if (targets != null) {
                targets.close();
            }
            deleteQuietly(directory);
            throw e;
        }
    }

    public Agent agent() {
        return agent;
    }

    public DemoTargets targets() {
        return targets;
    }

    public DemoSshServer ssh() {
        return ssh;
    }

    /** The config the agent runs, in {@link #directory()}. */
    public Path configFile() {
        return configFile;
    }

    /** The temp folder with the demo's keys, config and state; gone after {@link #close()}. */
    public Path directory() {
        return directory;
    }

    /** Stops the agent, then the targets, then deletes the demo's folder. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            agent.close();
            ssh.close();
            targets.close();
        } finally {
            deleteQuietly(directory);
        }
    }

    /** Deletes {@code directory} and everything in it; a failure is logged, never thrown (it runs on the way out). */
    static void deleteQuietly(Path directory) {
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException error) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // Already gone.
        } catch (IOException e) {
            logger.atWarn()
                    .addKeyValue("path", directory)
                    .log("Could not delete the demo's files (its SSH keys among them); delete them by hand");
        }
    }
}
