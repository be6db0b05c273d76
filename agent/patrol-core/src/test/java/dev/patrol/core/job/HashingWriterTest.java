package dev.patrol.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashingWriterTest {
    @TempDir
    Path dir;

    @Test
    void chunksAreWrittenAndHashedInTheOrderSubmitted() throws Exception {
        byte[] data = new byte[1_000_003];
        new Random(3).nextBytes(data);
        Path file = dir.resolve("out.bin");
        MessageDigest digest = MessageDigest.getInstance("SHA-256");

        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                HashingWriter writer = new HashingWriter(out, digest, 4096)) {
            int offset = 0;
            while (offset < data.length) {
                byte[] buffer = writer.buffer();
                int n = Math.min(buffer.length - offset % 7, data.length - offset); // chunks of varying length
                System.arraycopy(data, offset, buffer, 0, n);
                writer.submit(buffer, n);
                offset += n;
            }
            writer.finish();
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        assertThat(digest.digest())
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void aFailedWriteReachesTheReaderAsItsOwnException() throws Exception {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.isWritable(full), "/dev/full is writable");

        try (FileChannel out = FileChannel.open(full, StandardOpenOption.WRITE);
                HashingWriter writer = new HashingWriter(out, MessageDigest.getInstance("SHA-256"), 4096)) {
            assertThatThrownBy(() -> {
                        for (int i = 0; i < 1000; i++) { // bounded: the first write fails
                            writer.submit(writer.buffer(), 4096);
                        }
                        writer.finish();
                    })
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("No space left on device");
        }
    }

    @Test
    void closingWithoutFinishingStopsTheWriterAndDropsWhatWasNotWritten() throws Exception {
        Path file = dir.resolve("aborted.bin");
        HashingWriter writer;
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            writer = new HashingWriter(out, MessageDigest.getInstance("SHA-256"), 1024);
            writer.submit(writer.buffer(), 1024);
            writer.close(); // returns once the writer's thread has ended
            writer.close(); // and again, harmlessly
        }
        assertThat(Files.size(file)).isLessThanOrEqualTo(1024);
    }
}
