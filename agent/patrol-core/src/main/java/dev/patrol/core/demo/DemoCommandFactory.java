package dev.patrol.core.demo;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;

/**
 * What the demo SSH server runs for an exec request: one of a fixed set of {@link DemoPrograms}, never a shell of this
 * machine. Anything else exits 127 with a shell's "not found" on stderr, as it would on a real host; a known command
 * given arguments exits 3 (UNKNOWN to a Nagios check), since the demo's commands take none.
 *
 * <p>Thread-safe.
 */
final class DemoCommandFactory implements CommandFactory {
    private final Map<String, DemoPrograms.Program> programs;
    private final ExecutorService executor;
    private final AtomicInteger running;

    private final java.nio.file.Path sftpRoot;

    DemoCommandFactory(
            Map<String, DemoPrograms.Program> programs,
            ExecutorService executor,
            AtomicInteger running,
            java.nio.file.Path sftpRoot) {
        this.sftpRoot = sftpRoot;
        this.programs = Map.copyOf(programs);
        this.executor = executor;
        this.running = running;
    }

    @Override
    public Command createCommand(ChannelSession channel, String commandLine) {
        return new DemoExec(commandLine, program(commandLine), executor, running);
    }

    DemoPrograms.Program program(String commandLine) {
        if (commandLine.startsWith(DemoStat.PREFIX)) {
            return DemoStat.program(commandLine, sftpRoot); // the log-tail check's file lookup
        }
        if (commandLine.startsWith(DemoSha256.PREFIX)) {
            return DemoSha256.program(commandLine, sftpRoot); // the fetch job's checksum of what it downloaded
        }
        List<String> words = CommandFactory.split(commandLine.trim());
        String name = words.isEmpty() ? "" : words.get(0);
        DemoPrograms.Program program = programs.get(name);
        if (program == null) {
            return (out, err) -> {
                err.println("sh: 1: " + name + ": not found");
                return 127;
            };
        }
        if (words.size() > 1) {
            return (out, err) -> {
                out.println(name + " UNKNOWN - the demo's commands take no arguments");
                return 3;
            };
        }
        return program;
    }
}
