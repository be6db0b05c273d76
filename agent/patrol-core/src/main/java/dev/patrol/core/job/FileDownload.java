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
import java.util.List;
import org.apache.sshd.sftp.client.SftpClient;

/**
 * Downloads one remote file into a folder: streamed in fixed-size chunks to {@code .<name>.part} (memory stays flat
 * whatever the size) while its SHA-256 is computed and the target computes its own
 * ({@link RemoteShell#checksumCommand}); then, once both are done, the remote size and mtime are read again and the
 * remote checksum compared. Only a file that matches all three is fsynced and renamed to its final name; anything
 * else removes the temporary file. A large file is read as byte ranges over several channels ({@link RangedCopy}).
 * Not thread-safe; one per file.
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
     * @param channels SFTP channels of one session: the first lists and reads; given more than one, the file is read
     *     over all of them, a range each ({@link RangedCopy}). The caller decides, by the file's size
     *     ({@link RangedCopy#MIN_RANGED_BYTES}) and the job's {@code streams}.
     * @param readSize the size of each SFTP read request ({@link SftpReadSize}), 0 for MINA's default
     */
    static Result download(
            List<SftpClient> channels,
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
            long written;
            // The target's checksum reads the file while it downloads, instead of after it; the size and mtime read
            // once both are done still tell whether the file changed while either of them read it.
            PendingChecksum remoteSum = checksum.start(file.path());
            String local;
            try (FileChannel out = FileChannel.open(
                    part,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.READ)) {
                if (channels.size() > 1) {
                    RangedCopy.Copied copied =
                            new RangedCopy(channels, file.path(), file.size(), readSize, out, digest, meter).run();
                    written = copied.bytes();
                    local = HexFormat.of().formatHex(copied.sha256());
                } else {
                    written = copyOneStream(channels.get(0), file, readSize, out, digest, meter);
                    local = HexFormat.of().formatHex(digest.digest());
                }
                out.force(true);
            }
            String remote = null;
            IOException remoteFailure = null;
            try {
                remote = remoteSum.await();
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                remoteFailure = e; // a file removed or replaced meanwhile is reported as changed below, not as this
            }
            SftpClient.Attributes after = RemoteFiles.stat(channels.get(0), file.path());
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

    /** Reads the file front to back on one channel; returns the bytes written. */
    private static long copyOneStream(
            SftpClient sftp,
            RemoteFiles.RemoteFile file,
            int readSize,
            FileChannel out,
            MessageDigest digest,
            TransferMeter meter)
            throws IOException {
        long written = 0;
        try (InputStream in = sftp.read(file.path(), readSize);
                HashingWriter writer = new HashingWriter(out, digest, meter.chunk(CHUNK))) {
            // A file that grows while it is read (a live log) must not keep the download going for ever: reading one
            // byte past the listed size is enough to know it changed.
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
        return written;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
