package dev.patrol.core.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the newest good backup of a (job, target) on disk holds. A run's folder gets its final name only once every
 * file in it is verified, so the newest such folder is the last successful run, also after a restart.
 */
public final class BackupInventory {
    /** The newest good run: when it started, its files (the manifest not counted) and their bytes. */
    public record Newest(Instant time, int files, long bytes) {}

    private BackupInventory() {}

    public static Optional<Newest> newest(JobSettings job, String target) {
        if (job.type() != JobType.FETCH || job.destination() == null) {
            return Optional.empty();
        }
        try {
            List<Path> runs =
                    Retention.runs(job.destination().resolve(job.name()).resolve(target));
            if (runs.isEmpty()) {
                return Optional.empty();
            }
            Path newest = runs.get(runs.size() - 1);
            Instant time =
                    Instant.from(FetchTask.RUN_NAME.parse(newest.getFileName().toString()));
            int files = 0;
            long bytes = 0;
            try (Stream<Path> children = Files.list(newest)) {
                for (Path file : children.filter(Files::isRegularFile).toList()) {
                    String name = file.getFileName().toString();
                    if (!name.equals(Manifest.FILE) && !name.startsWith(".")) {
                        files++;
                        bytes += Files.size(file);
                    }
                }
            }
            return Optional.of(new Newest(time, files, bytes));
        } catch (IOException | DateTimeParseException e) {
            return Optional.empty(); // a folder someone named by hand, or one removed meanwhile: no history
        }
    }
}
