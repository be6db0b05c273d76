package dev.patrol.api;

import java.util.List;

/**
 * What {@link SshSessions#stat} found: the files matching the patterns, in the order the remote shell expanded them.
 *
 * @param files at most the requested number of files
 * @param truncated whether more files matched than were returned
 */
public record FileListing(List<RemoteFile> files, boolean truncated) {

    public FileListing {
        files = List.copyOf(files);
    }
}
