package dev.patrol.core.job;

import dev.patrol.api.Target;
import dev.patrol.transport.ssh.SshSessionPool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHFsyncExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;

/**
 * A push job on one target, over SFTP on the pooled connection. A target whose file already has the local file's
 * size and SHA-256 ({@link RemoteShell#checksumCommand} over the same connection), and the configured
 * {@code mode}, is {@code skipped} with nothing sent. Otherwise the file is streamed to
 * {@code .<name>.patrol-<random>.part} beside its final path, given its mode (the configured one, or else the
 * replaced file's) and {@code owner}, fsynced, checked against the local SHA-256, and only then renamed over the final
 * path (POSIX rename, so readers see the old file or the new one, never a half). A failure removes the temporary file;
 * one left by a run cut off by its timeout is removed by the next upload. Runs on a job thread and blocks it.
 */
final class PushTask {
    private static final int CHUNK = 64 * 1024;

    private final JobSettings job;
    private final SshSessionPool pool;

    PushTask(JobSettings job, SshSessionPool pool) {
        this.job = job;
        this.pool = pool;
    }

    private record Outcome(JobResult result, String message) {}

    TargetOutcome run(Target target, JobContext context, TransferMeter meter, LocalSource source) {
        long started = System.nanoTime();
        Outcome outcome;
        try {
            LocalSource.Summary local = source.get();
            RemoteShell shell = new RemoteShell(pool, target, context, job.timeout());
            outcome = pool.withChannel(
                            target,
                            context.cancelled(),
                            (session, spare) -> CompletableFuture.supplyAsync(
                                    () -> push(session, shell, local, context, meter), context.blockingExecutor()))
                    .get(job.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            context.cancel();
            outcome = new Outcome(JobResult.TIMEOUT, "timed out after " + job.timeout());
        } catch (InterruptedException e) {
            context.cancel();
            Thread.currentThread().interrupt();
            outcome = new Outcome(JobResult.FAILED, "interrupted");
        } catch (ExecutionException e) {
            outcome = new Outcome(JobResult.FAILED, FetchTask.message(e.getCause()));
        } catch (IOException | RuntimeException e) {
            outcome = new Outcome(JobResult.FAILED, FetchTask.message(e));
        }
        return new TargetOutcome(
                target.name(),
                outcome.result(),
                outcome.message(),
                meter.bytes(),
                0,
                0,
                null,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private Outcome push(
            ClientSession session,
            RemoteShell shell,
            LocalSource.Summary local,
            JobContext context,
            TransferMeter meter) {
        JobSettings.Push push = job.push();
        String remote = push.remotePath();
        // Closing the client on cancel ends a write blocked on the channel; the upload then fails.
        try (SftpClient sftp = pool.sftpChannels().open(session, context::isCancelled)) {
            context.cancelled().thenRun(() -> RemoteFiles.closeQuietly(sftp));
            SftpClient.Attributes existing = RemoteFiles.stat(sftp, remote);
            if (existing != null
                    && existing.isRegularFile()
                    && existing.getSize() == local.size()
                    && (push.mode() == null || (existing.getPermissions() & 07777) == push.mode())
                    && local.sha256().equals(shell.sha256OrNull(remote))) {
                return new Outcome(JobResult.SKIPPED, "already up to date");
            }
            meter.plan(local.size());
            Integer mode =
                    push.mode() != null ? push.mode() : existing == null ? null : existing.getPermissions() & 07777;
            int slash = remote.lastIndexOf('/');
            String prefix = "." + remote.substring(slash + 1) + ".patrol-";
            removeLeftovers(sftp, remote.substring(0, slash + 1), prefix);
            String temp = remote.substring(0, slash + 1) + prefix
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + ".part";
            boolean renamed = false;
            try {
                upload(sftp, local, temp, meter);
                if (mode != null) {
                    sftp.setStat(temp, new SftpClient.Attributes().perms(mode));
                }
                if (push.owner() != null) {
                    shell.check("chown -- " + ShellQuote.quote(push.owner()) + " " + ShellQuote.quote(temp));
                }
                if (!local.sha256().equals(shell.sha256(temp))) {
                    return new Outcome(
                            JobResult.CHANGED,
                            "the uploaded file differs from '" + local.path() + "' (changed meanwhile)");
                }
                rename(sftp, shell, temp, remote);
                renamed = true;
                return new Outcome(JobResult.OK, "pushed to '" + remote + "'");
            } finally {
                if (!renamed) {
                    removeQuietly(sftp, temp);
                }
            }
        } catch (IOException | RuntimeException e) {
            return new Outcome(JobResult.ofFailure(e), FetchTask.message(e));
        }
    }

    private static void upload(SftpClient sftp, LocalSource.Summary local, String temp, TransferMeter meter)
            throws IOException {
        // Exclusive: a name taken by anything else (another run, a planted link) fails rather than being written to.
        try (InputStream in = Files.newInputStream(local.path());
                OutputStream out = sftp.write(temp, OpenMode.Write, OpenMode.Create, OpenMode.Exclusive)) {
            byte[] buffer = new byte[meter.chunk(CHUNK)];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                meter.moved(n);
            }
        }
        OpenSSHFsyncExtension fsync = sftp.getExtension(OpenSSHFsyncExtension.class);
        if (fsync != null && fsync.isSupported()) {
            try (SftpClient.CloseableHandle handle = sftp.open(temp, OpenMode.Write)) {
                fsync.fsync(handle);
            }
        }
    }

    private static void rename(SftpClient sftp, RemoteShell shell, String temp, String remote) throws IOException {
        OpenSSHPosixRenameExtension posix = sftp.getExtension(OpenSSHPosixRenameExtension.class);
        if (posix != null && posix.isSupported()) {
            posix.posixRename(temp, remote);
        } else {
            // Plain SFTP rename refuses an existing target; mv replaces it with rename(2), atomically.
            shell.check("mv -f -- " + ShellQuote.quote(temp) + " " + ShellQuote.quote(remote));
        }
    }

    /**
     * Removes temporary files an earlier run left behind: a run cut off by its timeout closes the SFTP channel first,
     * so it cannot remove its own.
     */
    private static void removeLeftovers(SftpClient sftp, String dir, String prefix) throws IOException {
        for (SftpClient.DirEntry entry : sftp.readDir(dir.equals("/") ? "/" : dir.substring(0, dir.length() - 1))) {
            String name = entry.getFilename();
            if (name.startsWith(prefix)
                    && name.endsWith(".part")
                    && entry.getAttributes().isRegularFile()) {
                removeQuietly(sftp, dir + name);
            }
        }
    }

    private static void removeQuietly(SftpClient sftp, String path) {
        try {
            sftp.remove(path);
        } catch (IOException e) {
            // Gone already, never made, or the connection is closing: the name is hidden and never taken as final.
        }
    }
}
