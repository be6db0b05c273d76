package dev.patrol.core.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Prunes old runs of one (job, target) after a good run: run folders are named by their UTC start time, so name order
 * is age order. Keeps the newest {@code count}, of those only the ones younger than {@code age}, and always the
 * newest. Folders starting with a dot (a run in progress) are left alone.
 */
final class Retention {
    private Retention() {}

    /** The run folders under {@code targetDir}, oldest first. */
    static List<Path> runs(Path targetDir) throws IOException {
        if (!Files.isDirectory(targetDir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(targetDir)) {
            return children.filter(Files::isDirectory)
                    .filter(dir -> !dir.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(dir -> dir.getFileName().toString()))
                    .toList();
        }
    }

    /** Removes what {@code keep} does not keep; returns the folders removed. */
    static List<Path> prune(Path targetDir, JobSettings.Keep keep, Instant now) throws IOException {
        List<Path> runs = new ArrayList<>(runs(targetDir));
        List<Path> removed = new ArrayList<>();
        for (int i = 0; i < runs.size() - 1; i++) {
            Path run = runs.get(i);
            boolean tooMany = i < runs.size() - keep.count();
            Instant modified = Files.getLastModifiedTime(run).toInstant();
            boolean tooOld = Duration.between(modified, now).compareTo(keep.age()) > 0;
            if (tooMany || tooOld) {
                deleteTree(run);
                removed.add(run);
            }
        }
        return removed;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
