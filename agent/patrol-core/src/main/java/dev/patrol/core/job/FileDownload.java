package dev.patrol.core.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.sshd.sftp.client.SftpClient;

/**
 * Downloads one remote file into a folder: streamed in fixed-size chunks to {@code .<name>.part} (memory stays flat
 * whatever the size) while its SHA-256 is computed and the target computes its own
 * ({@link RemoteShell#checksumCommand}); then, once both are done, the remote size and mtime are read again and the
 * remote checksum compared. Only a file that matches all three is fsynced and renamed to its final name; anything
 * else removes the temporary file. Not thread-safe; one per file.
 */
final class FileDownload {
    private static final int CHUNK = 256 * 1024;

    /** What a download gave: the checksum and size written, or why it is not good. */
    record Result(boolean good, String sha256, long size, String problem) {}

    /** Starts the checksum on the target over the job's connection; it runs while the file downloads. */
    interface RemoteChecksum {
        PendingChecksum start(String path) throws IOException;
    }

    /** A remote checksum under way. */
    interface PendingChecksum {
        /** Waits for the hex digest; throws when there is none. */
        String await() throws IOException;
    }

    private FileDownload() {}

    /**
     * @param readSize the size of each SFTP read request ({@link SftpReadSize}), 0 for MINA's default
     */
    static Result download(
            SftpClient sftp,
            RemoteFiles.RemoteFile file,
            int readSize,
            Path dir,
            RemoteChecksum checksum,
            TransferMeter meter)
            throws IOException {
        Path part = dir.resolve("." + file.name() + ".part");
        boolean kept = false;
        try {
            MessageDigest digest = sha256();
            long written = 0;
            // The target's checksum reads the file while it downloads, instead of after it; the size and mtime read
            // once both are done still tell whether the file changed while either of them read it.
            PendingChecksum remoteSum = checksum.start(file.path());
            try (InputStream in = sftp.read(file.path(), readSize);
                    FileChannel out = FileChannel.open(
                            part,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.WRITE)) {
                try (HashingWriter writer = new HashingWriter(out, digest, meter.chunk(CHUNK))) {
                    // A file that grows while it is read (a live log) must not keep the download going for ever:
                    // reading one byte past the listed size is enough to know it changed.
                    while (written <= file.size()) {
                        byte[] buffer = writer.buffer();
                        int n = in.read(buffer, 0, (int) Math.min(buffer.length, file.size() + 1 - written));
                        if (n < 0) {
                            break;
                        }
                        writer.submit(buffer, n);
                        written += n;
                        meter.moved(n);
                    }
                    writer.finish();
                }
                out.force(true);
            }
            String local = HexFormat.of().formatHex(digest.digest());
            String remote = null;
            IOException remoteFailure = null;
            try {
                remote = remoteSum.await();
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                remoteFailure = e; // a file removed or replaced meanwhile is reported as changed below, not as this
            }
            SftpClient.Attributes after = RemoteFiles.stat(sftp, file.path());
            if (after == null) {
                return new Result(false, local, written, "removed during the download");
            }
            if (after.getSize() != file.size() || written != file.size()) {
                return new Result(
                        false,
                        local,
                        written,
                        "size changed during the download (" + file.size() + " listed, " + written + " read, "
                                + after.getSize() + " after)");
            }
            if (RemoteFiles.mtime(after) != file.mtimeMillis()) {
                return new Result(false, local, written, "modified during the download");
            }
            if (remoteFailure != null) {
                throw remoteFailure;
            }
            if (!local.equals(remote)) {
                return new Result(false, local, written, "checksum differs from the target's");
            }
            Files.move(part, dir.resolve(file.name()), StandardCopyOption.ATOMIC_MOVE);
            kept = true;
            return new Result(true, local, written, null);
        } finally {
            if (!kept) {
                Files.deleteIfExists(part);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
