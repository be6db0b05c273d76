package dev.patrol.transport.ssh;

import dev.patrol.api.RemoteFileReader;
import dev.patrol.api.Target;
import dev.patrol.testing.OpenSshServer;
import dev.patrol.testing.SshKeys;
import dev.patrol.testing.TestCheckContext;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;

/**
 * The experiment behind the log-tail plugin's choice of reader (plugins/log-tail/README.md): the same file read in
 * 4 MiB chunks over the pooled connection, (a) through one SFTP channel with pipelined requests
 * ({@link SftpFileReader}), (b) with one exec channel per chunk running {@code stat; tail -c +N | head -c M}, the
 * exec-based reader the issue proposed. Prints wall time and the agent's CPU per GiB for each, alternating.
 *
 * <p>Not a test: run by hand, {@code java -cp <test classpath> dev.patrol.transport.ssh.ReaderComparison MIB
 * ROUNDS}, against a throwaway OpenSSH sshd on loopback.
 */
final class ReaderComparison {
    private static final int CHUNK = 4 * 1024 * 1024;

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("patrol-readers");
        Path file = dir.resolve("app.log");
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (long i = 0; Files.size(file) < (long) mib << 20 && i < Long.MAX_VALUE; i += 10_000) {
                for (int j = 0; j < 10_000; j++) {
                    out.write(String.format("%09d 2026-12-01T00:00:00Z GET /api/v1/items %s%n", i + j, "x".repeat(50)));
                }
                out.flush();
            }
        }
        long size = Files.size(file);
        try (OpenSshServer sshd = OpenSshServer.create(dir.resolve("sshd")).start()) {
            Path knownHosts = SshKeys.writeKnownHosts(dir.resolve("known_hosts"), List.of(sshd.knownHostsLine(false)));
            try (SshSessionPool pool =
                    SshTesting.pool(SshTesting.ssh(SshTesting.client(sshd, knownHosts, Map.of())), new SshMetrics())) {
                Target target = SshTesting.target("sshd", sshd.host(), sshd.port());
                sftp(pool, target, file, size); // warm-up: connection, JIT
                exec(pool, target, file, size);
                for (int r = 0; r < rounds; r++) {
                    measure("sftp", size, () -> sftp(pool, target, file, size));
                    measure("exec", size, () -> exec(pool, target, file, size));
                }
            }
        }
    }

    interface Body {
        void run() throws Exception;
    }

    private static void measure(String name, long size, Body body) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        body.run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        double gib = size / (double) (1L << 30);
        System.out.printf(
                "%s: %.1f MiB in %.2f s = %.1f MiB/s, agent CPU %.2f s = %.2f CPU-s per GiB (load %s)%n",
                name,
                size / 1048576.0,
                seconds,
                size / 1048576.0 / seconds,
                cpu,
                cpu / gib,
                Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    private static void sftp(SshSessionPool pool, Target target, Path file, long size) throws Exception {
        try (TestCheckContext context = SshTesting.run(Duration.ofMinutes(10));
                RemoteFileReader reader =
                        pool.openReader(target, context).toCompletableFuture().get(60, TimeUnit.SECONDS)) {
            for (long offset = 0; offset < size; ) {
                offset += reader.read(file.toString(), offset, CHUNK)
                        .toCompletableFuture()
                        .get(60, TimeUnit.SECONDS)
                        .length;
            }
        }
    }

    private static void exec(SshSessionPool pool, Target target, Path file, long size) throws Exception {
        String path = StatCommand.quoteGlob(file.toString());
        pool.withSession(target, session -> {
                    try {
                        for (long offset = 0; offset < size; ) {
                            String command = "stat -L -c '%d:%i %s' -- " + path + " && tail -c +" + (offset + 1)
                                    + " -- " + path + " | head -c " + CHUNK;
                            ByteArrayOutputStream out = new ByteArrayOutputStream(CHUNK + 4096);
                            try (ChannelExec channel = session.createExecChannel(command)) {
                                channel.setOut(out);
                                channel.setErr(new ByteArrayOutputStream());
                                channel.open().verify(60, TimeUnit.SECONDS);
                                channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), 60_000);
                            }
                            byte[] bytes = out.toByteArray();
                            int newline = 0;
                            while (bytes[newline] != '\n') {
                                newline++;
                            }
                            offset += bytes.length - newline - 1;
                        }
                        return java.util.concurrent.CompletableFuture.completedFuture(null);
                    } catch (Exception e) {
                        return java.util.concurrent.CompletableFuture.failedFuture(e);
                    }
                })
                .get(10, TimeUnit.MINUTES);
    }
}
