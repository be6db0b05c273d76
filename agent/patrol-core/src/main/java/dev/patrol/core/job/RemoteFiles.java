package dev.patrol.core.job;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Expands a job's {@code paths} over SFTP: a plain path is one file, a glob in the last path element ({@code *},
 * {@code ?}) is matched against the folder's listing. Only regular files are taken. A symbolic link is taken only
 * when the file it resolves to lies in the same folder (a {@code latest.sql.gz} pointing at today's dump), or with
 * {@code follow-symlinks = true}; a link pointing anywhere else ({@code /etc/shadow}) is left out and named in
 * {@code refused}. A taken link is read through its resolved path, so it cannot be turned elsewhere between the
 * listing and the download. Not thread-safe; one per target run.
 */
final class RemoteFiles {
    /** A remote file as listed: the path read, the name kept, and the size and mtime the download is compared with. */
    record RemoteFile(String path, String name, long size, long mtimeMillis) {}

    private RemoteFiles() {}

    static boolean isGlob(String path) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.contains("*") || last.contains("?");
    }

    /**
     * The files {@code path} names, sorted by name; empty when it matches none. Links not followed are added to
     * {@code refused}.
     */
    static List<RemoteFile> expand(SftpClient sftp, String path, boolean followSymlinks, List<String> refused)
            throws IOException {
        int slash = path.lastIndexOf('/');
        String dir = slash == 0 ? "/" : path.substring(0, slash);
        if (!isGlob(path)) {
            SftpClient.Attributes attributes = lstat(sftp, path);
            if (attributes == null) {
                return List.of();
            }
            RemoteFile file = file(sftp, dir, path.substring(slash + 1), attributes, followSymlinks, refused);
            return file == null ? List.of() : List.of(file);
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + path.substring(slash + 1));
        List<RemoteFile> files = new ArrayList<>();
        try {
            for (SftpClient.DirEntry entry : sftp.readDir(dir)) {
                String name = entry.getFilename();
                if (name.contains("/") || !matcher.matches(Path.of(name))) {
                    continue;
                }
                RemoteFile file = file(sftp, dir, name, entry.getAttributes(), followSymlinks, refused);
                if (file != null) {
                    files.add(file);
                }
            }
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return List.of();
            }
            throw e;
        }
        files.sort(Comparator.comparing(RemoteFile::name));
        return files;
    }

    /** The file for one listed entry (attributes of the entry itself, not of what a link points to), or null. */
    private static RemoteFile file(
            SftpClient sftp,
            String dir,
            String name,
            SftpClient.Attributes attributes,
            boolean followSymlinks,
            List<String> refused)
            throws IOException {
        String full = (dir.endsWith("/") ? dir : dir + "/") + name;
        if (attributes.isRegularFile()) {
            return new RemoteFile(full, name, attributes.getSize(), mtime(attributes));
        }
        if (!attributes.isSymbolicLink()) {
            return null;
        }
        String resolved;
        try {
            resolved = sftp.canonicalPath(full);
        } catch (SftpException e) {
            return null; // a dangling link: nothing to fetch
        }
        SftpClient.Attributes target = stat(sftp, resolved);
        if (target == null || !target.isRegularFile()) {
            return null;
        }
        String parent = resolved.substring(0, Math.max(1, resolved.lastIndexOf('/')));
        if (!followSymlinks && !parent.equals(sftp.canonicalPath(dir))) {
            refused.add(full + " -> " + resolved);
            return null;
        }
        return new RemoteFile(resolved, name, target.getSize(), mtime(target));
    }

    /** The file's attributes now (following links), or {@code null} when it is gone. */
    static SftpClient.Attributes stat(SftpClient sftp, String path) throws IOException {
        try {
            return sftp.stat(path);
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return null;
            }
            throw e;
        }
    }

    private static SftpClient.Attributes lstat(SftpClient sftp, String path) throws IOException {
        try {
            return sftp.lstat(path);
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return null;
            }
            throw e;
        }
    }

    static long mtime(SftpClient.Attributes attributes) {
        return attributes.getModifyTime() == null
                ? -1
                : attributes.getModifyTime().toMillis();
    }

    /**
     * Closes an SFTP client whatever state it is in: on a cancel, to end a read or write blocked on its channel, and
     * when a job is done with it. A client already closing, or whose session is gone, has nothing left to free.
     */
    static void closeQuietly(SftpClient sftp) {
        try {
            sftp.close();
        } catch (IOException | RuntimeException e) {
            // The blocked read or write fails either way.
        }
    }
}
