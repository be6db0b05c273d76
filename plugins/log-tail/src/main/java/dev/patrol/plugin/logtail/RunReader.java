package dev.patrol.plugin.logtail;

import dev.patrol.api.CheckContext;
import dev.patrol.api.Reason;
import dev.patrol.api.RemoteFileReader;
import dev.patrol.api.SshFailure;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The reads of one run: one {@link RemoteFileReader} (over SSH, one SFTP channel) opened at the first read and
 * reused for every chunk and file of the run, closed when the run has read what it will read, or at the latest when
 * the run ends. A run that reads nothing opens no channel.
 *
 * <p>Not thread-safe: used by the run's own thread.
 */
final class RunReader implements AutoCloseable {
    private final FileSource source;
    private final CheckContext context;
    private RemoteFileReader reader;

    RunReader(FileSource source, CheckContext context) {
        this.source = source;
        this.context = context;
    }

    /** Up to {@code maxBytes} of {@code path} from {@code offset}; see {@link RemoteFileReader#read}. */
    byte[] read(String path, long offset, int maxBytes) {
        if (reader == null) {
            reader = await(source.openReader(), context);
        }
        return await(reader.read(path, offset, maxBytes), context);
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    /** Waits for {@code stage} until the run's deadline; failures come as {@link CompletionException}. */
    static <T> T await(CompletionStage<T> stage, CheckContext context) {
        try {
            return stage.toCompletableFuture().get(context.remaining().toMillis() + 1, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (TimeoutException e) {
            throw new CompletionException(new SshFailure(Reason.TIMEOUT, "the run's deadline passed"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }
}
