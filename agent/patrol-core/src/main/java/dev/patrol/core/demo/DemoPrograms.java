package dev.patrol.core.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The commands the demo SSH server knows, each printing what its real counterpart prints: two monitoring-plugins style
 * checks on real numbers of this machine ({@code check_load}, {@code check_disk}), a queue check that flaps over
 * minutes ({@code check_queue}), a node_exporter textfile script ({@code node_textfile}) and a job that never ends
 * ({@code sleep_forever}). Numbers are printed in the C locale, as Nagios plugins must.
 *
 * <p>Thread-safe: programs share only an atomic counter.
 */
final class DemoPrograms {
    /** One command: writes to {@code out} and {@code err} and returns its exit status. */
    @FunctionalInterface
    interface Program {
        int run(PrintStream out, PrintStream err) throws IOException, InterruptedException;
    }

    /** How long one up-and-down cycle of {@code check_queue} lasts: 3 minutes OK, 2 WARNING, 1 CRITICAL. */
    static final long QUEUE_CYCLE_SECONDS = 360;

    static final int QUEUE_WARNING = 100;
    static final int QUEUE_CRITICAL = 500;

    private final Clock clock;
    private final Path disk;
    private final Path loadavg;
    private final Instant started;
    private final AtomicLong jobs = new AtomicLong();
    private final DemoWorker worker;

    /**
     * @param disk a path on the file system {@code check_disk} reports on, shown as {@code /}
     * @param loadavg Linux's {@code /proc/loadavg}; on other systems the JVM's one-minute load is used
     */
    DemoPrograms(Clock clock, Path disk, Path loadavg) {
        this.clock = clock;
        this.disk = disk;
        this.loadavg = loadavg;
        this.started = clock.instant();
        this.worker = new DemoWorker(clock);
    }

    /** Every command by name. */
    Map<String, Program> all() {
        Map<String, Program> programs = new java.util.HashMap<>(Map.of(
                "check_load", this::checkLoad,
                "check_disk", this::checkDisk,
                "check_queue", this::checkQueue,
                "node_textfile", this::nodeTextfile,
                "sleep_forever", DemoPrograms::sleepForever));
        programs.putAll(worker.programs());
        return Map.copyOf(programs);
    }

    /** Like {@code check_load -w 4,3,2 -c 8,6,4} with the thresholds per CPU, so any idle machine is OK. */
    int checkLoad(PrintStream out, PrintStream err) {
        double[] load = load();
        if (load == null) {
            out.println("LOAD UNKNOWN - this system reports no load average");
            return 3;
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        double[] warn = {4.0 * cpus, 3.0 * cpus, 2.0 * cpus};
        double[] crit = {8.0 * cpus, 6.0 * cpus, 4.0 * cpus};
        int status = 0;
        for (int i = 0; i < 3; i++) {
            status = Math.max(status, load[i] > crit[i] ? 2 : load[i] > warn[i] ? 1 : 0);
        }
        String[] labels = {"load1", "load5", "load15"};
        StringBuilder perfdata = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            perfdata.append(format("%s=%.3f;%.3f;%.3f;0; ", labels[i], load[i], warn[i], crit[i]));
        }
        out.println(format(
                "LOAD %s - total load average: %.2f, %.2f, %.2f|%s",
                word(status), load[0], load[1], load[2], perfdata.toString().trim()));
        return status;
    }

    /**
     * Like {@code check_disk -w 10% -c 5% -p /}: WARNING below 10% free, CRITICAL below 5%, perfdata in MB. As there,
     * space reserved for root counts neither as used nor as free: the size is what users can fill.
     */
    int checkDisk(PrintStream out, PrintStream err) throws IOException {
        FileStore store = Files.getFileStore(disk);
        long mb = 1024L * 1024L;
        long free = store.getUsableSpace() / mb;
        long used = (store.getTotalSpace() - store.getUnallocatedSpace()) / mb;
        long size = used + free;
        if (size <= 0) {
            out.println("DISK UNKNOWN - / reports a size of 0");
            return 3;
        }
        double freePercent = 100.0 * free / size;
        int status = freePercent < 5 ? 2 : freePercent < 10 ? 1 : 0;
        out.println(format(
                "DISK %s - free space: / %d MB (%.0f%%);| /=%dMB;%d;%d;0;%d",
                word(status), free, freePercent, used, Math.round(size * 0.90), Math.round(size * 0.95), size));
        return status;
    }

    /** A made-up "orders" queue that fills over six minutes and drains at once: OK, then WARNING, then CRITICAL. */
    int checkQueue(PrintStream out, PrintStream err) {
        long phase = Math.floorMod(clock.instant().getEpochSecond(), QUEUE_CYCLE_SECONDS);
        long depth;
        if (phase < 180) {
            depth = 10 + phase % 60;
        } else if (phase < 300) {
            depth = 120 + (phase - 180) * 2;
        } else {
            depth = 520 + (phase - 300) * 3;
        }
        int status = depth >= QUEUE_CRITICAL ? 2 : depth >= QUEUE_WARNING ? 1 : 0;
        long oldest = depth / 4;
        out.println(format(
                "QUEUE %s - %d messages waiting in orders, oldest %d s|messages=%d;%d;%d;0; oldest=%ds;;;0;",
                word(status), depth, oldest, depth, QUEUE_WARNING, QUEUE_CRITICAL, oldest));
        return status;
    }

    /** What a node_exporter textfile-collector script prints: Prometheus text on real numbers of this machine. */
    int nodeTextfile(PrintStream out, PrintStream err) throws IOException {
        long processed = jobs.addAndGet(17);
        FileStore store = Files.getFileStore(disk);
        double[] load = load();
        out.println("# HELP node_demo_jobs_processed_total Jobs the demo host's worker has processed.");
        out.println("# TYPE node_demo_jobs_processed_total counter");
        out.println("node_demo_jobs_processed_total " + processed);
        out.println("# HELP node_demo_uptime_seconds Seconds since the demo host started.");
        out.println("# TYPE node_demo_uptime_seconds gauge");
        out.println("node_demo_uptime_seconds " + (clock.instant().getEpochSecond() - started.getEpochSecond()));
        if (load != null) {
            out.println("# HELP node_demo_load1 One-minute load average.");
            out.println("# TYPE node_demo_load1 gauge");
            out.println(format("node_demo_load1 %.2f", load[0]));
        }
        out.println("# HELP node_demo_filesystem_avail_bytes Space available to unprivileged users.");
        out.println("# TYPE node_demo_filesystem_avail_bytes gauge");
        out.println("node_demo_filesystem_avail_bytes{mountpoint=\"/\"} " + store.getUsableSpace());
        out.println("# HELP node_demo_filesystem_size_bytes Size of the file system.");
        out.println("# TYPE node_demo_filesystem_size_bytes gauge");
        out.println("node_demo_filesystem_size_bytes{mountpoint=\"/\"} " + store.getTotalSpace());
        return 0;
    }

    /** A job that hangs: it ends only when interrupted, i.e. when its channel is closed. */
    static int sleepForever(PrintStream out, PrintStream err) throws InterruptedException {
        while (true) {
            Thread.sleep(60_000);
        }
    }

    /** One-, five- and fifteen-minute load, or {@code null} when the system has none. */
    private double[] load() {
        try {
            String[] fields =
                    Files.readString(loadavg, StandardCharsets.US_ASCII).trim().split("\\s+");
            return new double[] {
                Double.parseDouble(fields[0]), Double.parseDouble(fields[1]), Double.parseDouble(fields[2])
            };
        } catch (IOException | RuntimeException e) {
            // Not Linux: the JVM knows the one-minute load only, so all three show it.
            double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return one < 0 ? null : new double[] {one, one, one};
        }
    }

    private static String word(int status) {
        return switch (status) {
            case 0 -> "OK";
            case 1 -> "WARNING";
            case 2 -> "CRITICAL";
            default -> "UNKNOWN";
        };
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
