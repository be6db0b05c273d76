package dev.patrol.core.job;

import dev.patrol.api.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * One {@code patrol.jobs.<name>} block, read once at load. Immutable.
 *
 * @param name the job's name, as in {@code patrol.jobs}
 * @param type what it does on each target
 * @param targets the selected targets, in selection order
 * @param schedule a Quartz cron expression, or {@code null} for a job run only by hand
 * @param timeZone the zone the schedule is read in
 * @param serial how many targets run at once
 * @param maxFailures after this many failed targets no more are started; the rest are {@code not_run}
 * @param timeout the bound on one target's run
 * @param command for {@code command}: what to run
 * @param okExitCodes for {@code command}: the exit statuses that mean success
 * @param paths for {@code fetch}: remote files or globs ({@code *}, {@code ?} in the last path element)
 * @param destination for {@code fetch}: the folder under which {@code <job>/<target>/<timestamp>/} is made
 * @param keep for {@code fetch}: retention per (job, target)
 * @param noFiles for {@code fetch}: whether a glob matching nothing fails the target
 * @param transfer for {@code fetch} and {@code push}: the bounds on what is transferred, and symlink handling
 * @param push for {@code push}: what is uploaded where, or {@code null} for other types
 */
public record JobSettings(
        String name,
        JobType type,
        List<Target> targets,
        String schedule,
        ZoneId timeZone,
        Limit serial,
        Limit maxFailures,
        Duration timeout,
        String command,
        Set<Integer> okExitCodes,
        List<String> paths,
        Path destination,
        Keep keep,
        NoFiles noFiles,
        Transfer transfer,
        Push push) {

    /**
     * Bounds on a fetch or push.
     *
     * @param maxBytes the most bytes one target's run may transfer, retries included; 0 for no bound
     * @param maxRate the job's transfer rate over all its targets together, in bytes per second; 0 for no bound
     * @param followSymlinks whether a fetched path that is a symbolic link pointing out of its folder is followed
     * @param streams for {@code fetch}: how many SFTP channels of the connection one large file is read over, a byte
     *     range each; 1 reads every file front to back on one channel
     */
    public record Transfer(long maxBytes, long maxRate, boolean followSymlinks, int streams) {
        /**
         * {@code streams} in reference.conf. Two channels made a warm 1 GiB fetch about 40 % faster where the agent
         * was the bound (loopback), and about 7 % slower across a 1 Gbit/s link, where the link was; one is the
         * default, as scp does, and asks the least of the target.
         */
        public static final int DEFAULT_STREAMS = 1;

        public static final Transfer UNBOUNDED = new Transfer(0, 0, false);

        public Transfer(long maxBytes, long maxRate, boolean followSymlinks) {
            this(maxBytes, maxRate, followSymlinks, DEFAULT_STREAMS);
        }
    }

    /**
     * What a push job uploads.
     *
     * @param source the local file
     * @param remotePath the absolute path it gets on each target
     * @param mode the permission bits it gets (such as {@code 0640}), or {@code null} to leave the remote default
     * @param owner {@code user} or {@code user:group} given to {@code chown}, or {@code null} to leave it
     */
    public record Push(Path source, String remotePath, Integer mode, String owner) {}

    /**
     * How many runs are kept per (job, target): the newest {@code count}, and of those only the ones younger than
     * {@code age}; the newest good run is never removed.
     */
    public record Keep(int count, Duration age) {}

    /** What a glob matching no file means. */
    public enum NoFiles {
        FAIL,
        OK
    }
}
