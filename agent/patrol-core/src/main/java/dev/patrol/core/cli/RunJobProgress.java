package dev.patrol.core.cli;

import dev.patrol.core.job.JobListener;
import dev.patrol.core.job.JobSettings;
import dev.patrol.core.job.TargetOutcome;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What {@code patrol run-job} prints: while a fetch or push transfers, a progress line per target (bytes of the
 * planned total, rate, ETA) the first time it is told and then every {@value #EVERY_SECONDS} seconds; and a line per
 * target as it ends, with its result, time, bytes and rate. Thread-safe: targets report from their own threads.
 */
final class RunJobProgress implements JobListener {
    private static final long EVERY_SECONDS = 5;
    private static final double MIB = 1024 * 1024;

    private final PrintStream out;
    private final Map<String, Long> lastPrinted = new ConcurrentHashMap<>();

    RunJobProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void progress(JobSettings job, String target, long bytes, long planned, Duration elapsed) {
        long now = System.nanoTime();
        Long last = lastPrinted.get(target);
        if (last != null && now - last < TimeUnit.SECONDS.toNanos(EVERY_SECONDS)) {
            return;
        }
        lastPrinted.put(target, now);
        double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-3);
        double rate = bytes / seconds;
        String eta = rate <= 0 || planned <= bytes
                ? "ETA -"
                : String.format(Locale.ROOT, "ETA %.0f s", (planned - bytes) / rate);
        print(String.format(
                Locale.ROOT,
                "  %s: %.1f of %.1f MiB, %.1f MiB/s, %s",
                target,
                bytes / MIB,
                planned / MIB,
                rate / MIB,
                eta));
    }

    @Override
    public void finished(JobSettings job, TargetOutcome outcome) {
        lastPrinted.remove(outcome.target());
        double seconds = Math.max(outcome.duration().toNanos() / 1e9, 1e-3);
        String transfer = outcome.bytes() == 0
                ? ""
                : String.format(
                        Locale.ROOT, ", %d bytes, %.1f MiB/s", outcome.bytes(), outcome.bytes() / seconds / MIB);
        print(String.format(
                Locale.ROOT,
                "  %s: %s in %.1f s%s%s",
                outcome.target(),
                outcome.result().label(),
                seconds,
                transfer,
                outcome.message() == null ? "" : " (" + outcome.message() + ")"));
    }

    private void print(String line) {
        synchronized (out) {
            out.println(line);
        }
    }
}
