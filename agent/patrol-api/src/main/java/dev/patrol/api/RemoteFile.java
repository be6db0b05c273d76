package dev.patrol.api;

import java.util.Objects;

/**
 * One file found by {@link SshSessions#stat}: where it is, what it is, how big, and which file it is.
 *
 * @param path the absolute path the file was found at (after glob expansion, symbolic links followed)
 * @param type a regular file, a directory, or anything else (socket, device, fifo)
 * @param size the size in bytes when it was looked at
 * @param identity the file's identity across renames: {@code <device>:<inode>}; a new file at the same path (rotation
 *     by rename and create) has another identity
 */
public record RemoteFile(String path, Type type, long size, String identity) {

    public enum Type {
        FILE,
        DIRECTORY,
        OTHER
    }

    public RemoteFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(identity, "identity");
    }
}
