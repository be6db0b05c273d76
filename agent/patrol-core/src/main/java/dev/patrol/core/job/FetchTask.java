package dev.patrol.core.job;

import dev.patrol.api.Target;
import dev.patrol.transport.ssh.SftpChannels;
import dev.patrol.transport.ssh.SpareChannels;
import dev.patrol.transport.ssh.SshSessionPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;

/**
 * A fetch job on one target: expands the paths over SFTP on the pooled connection, downloads each file with
 * {@link FileDownload} (a file that changed is downloaded once more, then the target fails), writes the manifest, and
 * only then renames the run's folder from {@code .<timestamp>.part} to {@code <timestamp>} and prunes old runs. A
 * failed run leaves nothing behind. Runs on a job thread and blocks it.
 */
final class FetchTask {
    static final DateTimeFormatter RUN_NAME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final JobSettings job;
    private final SshSessionPool pool;
    private final Clock clock;

    FetchTask(JobSettings job, SshSessionPool pool, Clock clock) {
        this.job = job;
        this.pool = pool;
        this.clock = clock;
    }

    TargetOutcome run(Target target, JobContext context, TransferMeter transferred) {
        long started = System.nanoTime();
        Path targetDir = job.destination().resolve(job.name()).resolve(target.name());
        Instant now = clock.instant();
        Path work = null;
        try {
            Files.createDirectories(targetDir);
            String name = RUN_NAME.format(now);
            while (Files.exists(targetDir.resolve(name)) || Files.exists(targetDir.resolve("." + name + ".part"))) {
                now = now.plusMillis(1);
                name = RUN_NAME.format(now);
            }
            work = Files.createDirectory(targetDir.resolve("." + name + ".part"));
            Path workDir = work;
            Instant time = now;
            Outcome outcome = pool.withChannel(
                            target,
                            context.cancelled(),
                            (session, spare) -> CompletableFuture.supplyAsync(
                                    () -> fetchAll(session, spare, target, workDir, context, transferred),
                                    context.blockingExecutor()))
                    .get(job.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (outcome.result() != JobResult.OK) {
                return done(target, outcome.result(), outcome.message(), transferred, 0, 0, null, started);
            }
            Manifest.write(workDir, job.name(), target.name(), time, outcome.entries());
            Path finalDir = targetDir.resolve(name);
            Files.move(workDir, finalDir, StandardCopyOption.ATOMIC_MOVE);
            work = null;
            Retention.prune(targetDir, job.keep(), clock.instant());
            long kept =
                    outcome.entries().stream().mapToLong(Manifest.Entry::size).sum();
            return done(
                    target,
                    JobResult.OK,
                    outcome.entries().size() + " files",
                    transferred,
                    outcome.entries().size(),
                    kept,
                    finalDir,
                    started);
        } catch (TimeoutException e) {
            context.cancel();
            return done(
                    target, JobResult.TIMEOUT, "timed out after " + job.timeout(), transferred, 0, 0, null, started);
        } catch (InterruptedException e) {
            context.cancel();
            Thread.currentThread().interrupt();
            return done(target, JobResult.FAILED, "interrupted", transferred, 0, 0, null, started);
        } catch (ExecutionException e) {
            return done(
                    target, JobResult.ofFailure(e.getCause()), message(e.getCause()), transferred, 0, 0, null, started);
        } catch (IOException | RuntimeException e) {
            return done(target, JobResult.ofFailure(e), message(e), transferred, 0, 0, null, started);
        } finally {
            if (work != null) {
                context.cancel();
                try {
                    Retention.deleteTree(work);
                } catch (IOException e) {
                    // The folder is named .part and never taken for a run; the next good run's pruning skips it.
                }
            }
        }
    }

    private record Outcome(JobResult result, String message, List<Manifest.Entry> entries) {}

    private Outcome fetchAll(
            ClientSession session,
            SpareChannels spare,
            Target target,
            Path dir,
            JobContext context,
            TransferMeter transferred) {
        // Closing the client on cancel ends a read blocked on the channel; the download then fails and cleans up.
        List<SftpClient> extra = new ArrayList<>(); // the channels a large file's other ranges are read over
        SftpChannels sftpChannels = pool.sftpChannels();
        try (SftpClient sftp = sftpChannels.open(session, context::isCancelled)) {
            context.cancelled().thenRun(() -> RemoteFiles.closeQuietly(sftp));
            List<RemoteFiles.RemoteFile> files = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (String path : job.paths()) {
                List<String> refused = new ArrayList<>();
                List<RemoteFiles.RemoteFile> matched =
                        RemoteFiles.expand(sftp, path, job.transfer().followSymlinks(), refused);
                if (matched.isEmpty() && job.noFiles() == JobSettings.NoFiles.FAIL) {
                    String links = refused.isEmpty()
                            ? ""
                            : " (symbolic links out of the folder not followed, see follow-symlinks: "
                                    + String.join(", ", refused) + ")";
                    return new Outcome(JobResult.NO_FILES, "no file matches '" + path + "'" + links, List.of());
                }
                for (RemoteFiles.RemoteFile file : matched) {
                    if (names.add(file.name())) {
                        files.add(file);
                    } else {
                        return new Outcome(
                                JobResult.FAILED, "two remote files are named '" + file.name() + "'", List.of());
                    }
                }
            }
            transferred.plan(
                    files.stream().mapToLong(RemoteFiles.RemoteFile::size).sum());
            int readSize = files.isEmpty() ? SftpReadSize.DEFAULT : SftpReadSize.of(sftp);
            List<Manifest.Entry> entries = new ArrayList<>();
            RemoteShell shell = new RemoteShell(pool, target, context, job.timeout());
            for (RemoteFiles.RemoteFile file : files) {
                FileDownload.Result result = null;
                for (int attempt = 0; attempt < 2 && (result == null || !result.good()); attempt++) {
                    RemoteFiles.RemoteFile current = attempt == 0 ? file : relist(sftp, file);
                    if (current == null) {
                        return new Outcome(JobResult.CHANGED, "'" + file.path() + "' was removed", List.of());
                    }
                    result = FileDownload.download(
                            channels(sftp, extra, current, job.transfer().streams(), spare, context, sftpChannels),
                            current,
                            readSize,
                            dir,
                            shell::sha256Started,
                            transferred);
                }
                if (!result.good()) {
                    return new Outcome(JobResult.CHANGED, "'" + file.path() + "': " + result.problem(), List.of());
                }
                entries.add(new Manifest.Entry(file.name(), file.path(), result.size(), result.sha256()));
            }
            return new Outcome(JobResult.OK, null, entries);
        } catch (IOException | RuntimeException e) {
            return new Outcome(JobResult.ofFailure(e), message(e), List.of());
        } finally {
            extra.forEach(RemoteFiles::closeQuietly);
        }
    }

    /**
     * The channels {@code file} is read over: the first alone for a small file or {@code streams = 1}, else up to
     * {@code streams} channels, opened on first need and kept for the target's other large files. Each extra channel
     * takes one of the connection's spare permits, and returns it when it closes; when none is free (checks hold them,
     * or {@code max-channels} is lower than {@code streams}), or the server refuses another channel (its MaxSessions
     * reached), the file is left to the channels it already has.
     */
    private static List<SftpClient> channels(
            SftpClient first,
            List<SftpClient> extra,
            RemoteFiles.RemoteFile file,
            int streams,
            SpareChannels spare,
            JobContext context,
            SftpChannels sftpChannels) {
        if (streams <= 1 || file.size() < RangedCopy.MIN_RANGED_BYTES) {
            return List.of(first);
        }
        extra.removeIf(channel -> !channel.isOpen());
        while (extra.size() < streams - 1) {
            Optional<SpareChannels.Permit> permit = spare.tryTake();
            if (permit.isEmpty()) {
                break;
            }
            try {
                // Asked once: a spare channel is an extra; the file is read over the ones it has if the server refuses.
                SftpClient channel = sftpChannels.open(first.getClientSession(), () -> true);
                channel.getClientChannel()
                        .addCloseFutureListener(closed -> permit.get().close());
                context.cancelled().thenRun(() -> RemoteFiles.closeQuietly(channel));
                extra.add(channel);
            } catch (IOException e) {
                permit.get().close();
                break;
            }
        }
        List<SftpClient> all = new ArrayList<>(extra.size() + 1);
        all.add(first);
        all.addAll(extra);
        return all;
    }

    private static RemoteFiles.RemoteFile relist(SftpClient sftp, RemoteFiles.RemoteFile file) throws IOException {
        SftpClient.Attributes now = RemoteFiles.stat(sftp, file.path());
        return now == null
                ? null
                : new RemoteFiles.RemoteFile(file.path(), file.name(), now.getSize(), RemoteFiles.mtime(now));
    }

    private TargetOutcome done(
            Target target,
            JobResult result,
            String message,
            TransferMeter transferred,
            int files,
            long kept,
            Path dir,
            long startedNanos) {
        return new TargetOutcome(
                target.name(),
                result,
                message,
                transferred.bytes(),
                files,
                kept,
                dir,
                Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
