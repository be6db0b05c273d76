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
 * {@code ?}) is matched against the folder's listing. Only regular files are taken; a symbolic link is not followed
 * (SFTP's listing reports the link itself). Not thread-safe; one per target run.
 */
final class RemoteFiles {
    /** A remote file as listed: the size and mtime the download is later compared with. */
    record RemoteFile(String path, String name, long size, long mtimeMillis) {}

    private RemoteFiles() {}

    static boolean isGlob(String path) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.contains("*") || last.contains("?");
    }

    /** The files {@code path} names, sorted by name; empty when it matches none. */
    static List<RemoteFile> expand(SftpClient sftp, String path) throws IOException {
        if (!isGlob(path)) {
            SftpClient.Attributes attributes = stat(sftp, path);
            if (attributes == null || !attributes.isRegularFile()) {
                return List.of();
            }
            String name = path.substring(path.lastIndexOf('/') + 1);
            return List.of(new RemoteFile(path, name, attributes.getSize(), mtime(attributes)));
        }
        int slash = path.lastIndexOf('/');
        String dir = slash == 0 ? "/" : path.substring(0, slash);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + path.substring(slash + 1));
        List<RemoteFile> files = new ArrayList<>();
        try {
            for (SftpClient.DirEntry entry : sftp.readDir(dir)) {
                String name = entry.getFilename();
                if (name.contains("/") || !matcher.matches(Path.of(name))) {
                    continue;
                }
                SftpClient.Attributes attributes = entry.getAttributes();
                if (attributes.isRegularFile()) {
                    String full = (dir.endsWith("/") ? dir : dir + "/") + name;
                    files.add(new RemoteFile(full, name, attributes.getSize(), mtime(attributes)));
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

    /** The file's attributes now, or {@code null} when it is gone. */
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

    static long mtime(SftpClient.Attributes attributes) {
        return attributes.getModifyTime() == null
                ? -1
                : attributes.getModifyTime().toMillis();
    }
}
