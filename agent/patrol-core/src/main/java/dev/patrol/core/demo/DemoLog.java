package dev.patrol.core.demo;

import dev.patrol.transport.DaemonThreads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's application log, {@value #PATH} on the demo SSH server: a line every 200 ms, every tenth an ERROR and
 * every seventh a WARN, rotated by rename ({@code app.log} to {@code app.log.1}, as logrotate does) every
 * {@value #ROTATE_EVERY} lines, so that the demo's log-tail check shows growth, pattern counts and a rotation.
 *
 * <p>Thread-safe: one scheduled thread writes.
 */
final class DemoLog implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(DemoLog.class);
    static final String PATH = "/var/log/demo/app.log";
    static final int ROTATE_EVERY = 600;
    static final String DUMP = "/var/backups/demo/orders.sql";

    private final Path file;
    private final Clock clock;
    private final AtomicLong lines = new AtomicLong();
    private final ScheduledExecutorService writer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("patrol-demo-log"));

    private DemoLog(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /** Starts writing under {@code root}, the directory the demo SSH server's SFTP shows as {@code /}. */
    static DemoLog start(Path root, Clock clock) throws IOException {
        writeDump(root, clock);
        Path file = root.resolve(PATH.substring(1));
        Files.createDirectories(file.getParent());
        DemoLog log = new DemoLog(file, clock);
        log.writer.scheduleWithFixedDelay(log::writeLine, 0, 200, TimeUnit.MILLISECONDS);
        return log;
    }

    /**
     * A database dump for the demo's fetch job to back up, {@value #DUMP}: a few thousand SQL lines, written once at
     * start through a temporary name so that a download never sees half of it.
     */
    private static void writeDump(Path root, Clock clock) throws IOException {
        Path dump = root.resolve(DUMP.substring(1));
        Files.createDirectories(dump.getParent());
        StringBuilder sql = new StringBuilder("-- demo orders database, dumped " + clock.instant() + "\n");
        for (int order = 1; order <= 5000; order++) {
            sql.append("INSERT INTO orders (id, customer, cents) VALUES (")
                    .append(order)
                    .append(", ")
                    .append(order * 7919 % 1000)
                    .append(", ")
                    .append(order * 104729 % 100000)
                    .append(");\n");
        }
        Path partial = dump.resolveSibling(dump.getFileName() + ".tmp");
        Files.writeString(partial, sql, StandardCharsets.UTF_8);
        Files.move(partial, dump, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void writeLine() {
        long n = lines.incrementAndGet();
        String level = n % 10 == 0 ? "ERROR" : n % 7 == 0 ? "WARN" : "INFO";
        String line = clock.instant() + " " + level + " request " + n + " served in " + (n * 37 % 250) + " ms\n";
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (n % ROTATE_EVERY == 0) {
                Files.move(file, file.resolveSibling("app.log.1"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            logger.warn("Cannot write the demo log file={} error={}", file, e.toString());
        }
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
