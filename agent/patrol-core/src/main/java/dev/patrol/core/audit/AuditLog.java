package dev.patrol.core.audit;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <state-dir>/audit.log}: one JSON object per line for every action run, dry run and suppression, forced to
 * disk after each append so that an entry is never lost to a crash. Past {@code max-file-size} the file becomes
 * {@code audit.log.1} (older ones shift up to {@code audit.log.<max-files>}, the oldest is deleted). Entries hold no
 * secret: commands are templates filled with target values, HTTP entries carry the URL and never the token.
 *
 * <p>Thread-safe: appends are serialised by one lock for every instance, since actions and jobs each hold one (and a
 * reload makes new ones) while they share the file and its rotation.
 */
public final class AuditLog {
    private static final Logger logger = LoggerFactory.getLogger(AuditLog.class);
    public static final String FILE_NAME = "audit.log";

    private final Path file;
    private final long maxFileSize;
    private final int maxFiles;
    private boolean warned;

    public AuditLog(Path stateDir, long maxFileSize, int maxFiles) {
        this.file = stateDir.resolve(FILE_NAME);
        this.maxFileSize = maxFileSize;
        this.maxFiles = maxFiles;
    }

    public Path file() {
        return file;
    }

    /** Appends one entry; a disk problem is logged (once) and never stops the agent. */
    public void append(Map<String, Object> entry) {
        synchronized (AuditLog.class) {
            appendLocked(entry);
        }
    }

    private void appendLocked(Map<String, Object> entry) {
        byte[] line = (ConfigValueFactory.fromMap(entry).render(ConfigRenderOptions.concise()) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file) && Files.size(file) + line.length > maxFileSize) {
                rotate();
            }
            try (FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ByteBuffer buffer = ByteBuffer.wrap(line);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(false);
            }
            warned = false;
        } catch (IOException e) {
            if (!warned) {
                logger.atError().addKeyValue("file", file).log("Cannot write the audit log: {}", e.toString());
                warned = true;
            }
        }
    }

    private void rotate() throws IOException {
        Files.deleteIfExists(rotated(maxFiles));
        for (int n = maxFiles - 1; n >= 1; n--) {
            if (Files.exists(rotated(n))) {
                Files.move(rotated(n), rotated(n + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    }

    private Path rotated(int n) {
        return file.resolveSibling(FILE_NAME + "." + n);
    }
}
