package dev.patrol.plugin.logtail;

import dev.patrol.api.CheckContext;
import dev.patrol.api.FileListing;
import dev.patrol.api.RemoteFileReader;
import dev.patrol.api.Target;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where a check's files are: on a target over SSH ({@link dev.patrol.api.SshSessions#stat} and
 * {@link dev.patrol.api.SshSessions#openReader}: one SFTP channel per run) or on the agent's own machine
 * ({@link LocalFileSource}).
 */
interface FileSource {

    CompletionStage<FileListing> stat(List<String> patterns, int maxFiles);

    /** A reader for one run's reads; the run closes it when it ends. */
    CompletionStage<RemoteFileReader> openReader();

    static FileSource of(LogTailSettings.Source source, Target target, CheckContext context) {
        return switch (source) {
            case LOCAL -> new LocalFileSource(Runnable::run); // already on the blocking executor
            case SSH -> new FileSource() {
                @Override
                public CompletionStage<FileListing> stat(List<String> patterns, int maxFiles) {
                    return context.ssh().stat(target, patterns, maxFiles, context);
                }

                @Override
                public CompletionStage<RemoteFileReader> openReader() {
                    return context.ssh().openReader(target, context);
                }
            };
        };
    }
}
