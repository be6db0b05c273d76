package dev.patrol.core.job;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes a run's {@code manifest.json}: the job, target, time, and each file with its remote path, size and SHA-256.
 * Hand-written because it is one fixed shape of a few strings and numbers, and core carries no JSON writer; strings
 * are escaped per RFC 8259.
 */
final class Manifest {
    static final String FILE = "manifest.json";

    /** One kept file. */
    record Entry(String name, String remotePath, long size, String sha256) {}

    private Manifest() {}

    static void write(Path dir, String job, String target, Instant time, List<Entry> entries) throws IOException {
        String files = entries.stream()
                .map(entry -> "    {\"name\": " + string(entry.name()) + ", \"remote_path\": "
                        + string(entry.remotePath()) + ", \"size\": " + entry.size() + ", \"sha256\": "
                        + string(entry.sha256()) + "}")
                .collect(Collectors.joining(",\n"));
        String json = "{\n  \"job\": " + string(job) + ",\n  \"target\": " + string(target) + ",\n  \"time\": "
                + string(time.toString()) + ",\n  \"files\": [\n" + files + (files.isEmpty() ? "" : "\n")
                + "  ]\n}\n";
        Path part = dir.resolve("." + FILE + ".part");
        Files.writeString(part, json, StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(part, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    }

    static String string(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
