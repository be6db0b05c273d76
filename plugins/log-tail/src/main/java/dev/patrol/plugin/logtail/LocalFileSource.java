package dev.patrol.plugin.logtail;

import dev.patrol.api.FileListing;
import dev.patrol.api.RemoteFile;
import dev.patrol.api.RemoteFileReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * Files on the agent's own machine ({@code source = local}), with the same answers as the SSH source: glob expansion
 * per path segment, identity from the {@code unix:dev} and {@code unix:ino} attributes, ranged reads. Runs on the
 * check's blocking executor.
 *
 * <p>Thread-safe: it keeps no state.
 */
final class LocalFileSource implements FileSource {
    private final Executor executor;

    LocalFileSource(Executor executor) {
        this.executor = executor;
    }

    @Override
    public CompletionStage<FileListing> stat(List<String> patterns, int maxFiles) {
        return CompletableFuture.supplyAsync(() -> list(patterns, maxFiles), executor);
    }

    @Override
    public CompletionStage<RemoteFileReader> openReader() {
        return CompletableFuture.completedFuture(new RemoteFileReader() {
            @Override
            public CompletionStage<byte[]> read(String path, long offset, int maxBytes) {
                CompletableFuture<byte[]> result = new CompletableFuture<>();
                executor.execute(() -> {
                    try {
                        result.complete(readRange(Path.of(path), offset, maxBytes));
                    } catch (IOException | RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                });
                return result;
            }

            @Override
            public void close() {
                // Each read opens and closes its own file: nothing is held.
            }
        });
    }

    static FileListing list(List<String> patterns, int maxFiles) {
        List<RemoteFile> files = new ArrayList<>();
        boolean truncated = false;
        for (String pattern : patterns) {
            List<Path> matches = new ArrayList<>();
            expand(Path.of("/"), Arrays.asList(pattern.substring(1).split("/")), 0, matches);
            for (Path match : matches) {
                RemoteFile file = statOf(match);
                if (file == null) {
                    continue;
                }
                if (files.size() == maxFiles) {
                    truncated = true;
                    break;
                }
                files.add(file);
            }
        }
        return new FileListing(files, truncated);
    }

    private static void expand(Path base, List<String> segments, int index, List<Path> out) {
        if (index == segments.size()) {
            out.add(base);
            return;
        }
        String segment = segments.get(index);
        if (!Globs.isGlob(segment)) {
            expand(base.resolve(segment), segments, index + 1, out);
            return;
        }
        Pattern matcher = Globs.toRegex(segment);
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base)) {
            for (Path child : entries) {
                String name = child.getFileName().toString();
                // A shell glob leaves dot files out unless the pattern starts with a dot.
                if (matcher.matcher(name).matches() && (!name.startsWith(".") || segment.startsWith("."))) {
                    children.add(child);
                }
            }
        } catch (IOException e) {
            return; // not a directory or not readable: matches nothing, as in a shell
        }
        children.sort(null);
        for (Path child : children) {
            expand(child, segments, index + 1, out);
        }
    }

    private static RemoteFile statOf(Path path) {
        try {
            Map<String, Object> attributes = Files.readAttributes(path, "unix:dev,ino,size,isDirectory,isRegularFile");
            RemoteFile.Type type = Boolean.TRUE.equals(attributes.get("isRegularFile"))
                    ? RemoteFile.Type.FILE
                    : Boolean.TRUE.equals(attributes.get("isDirectory"))
                            ? RemoteFile.Type.DIRECTORY
                            : RemoteFile.Type.OTHER;
            String identity = attributes.get("dev") + ":" + attributes.get("ino");
            return new RemoteFile(path.toString(), type, (Long) attributes.get("size"), identity);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    static byte[] readRange(Path path, long offset, int maxBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(maxBytes);
            long position = offset;
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position);
                if (n < 0) {
                    break;
                }
                position += n;
            }
            return Arrays.copyOf(buffer.array(), buffer.position());
        }
    }
}
