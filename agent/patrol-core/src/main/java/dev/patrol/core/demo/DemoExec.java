package dev.patrol.core.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.Signal;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec request on the demo SSH server: runs its {@link DemoPrograms.Program} on the server's own executor (never
 * on MINA's I/O threads), then reports the exit status, as a process would. When the channel closes first the program
 * is interrupted and reports nothing, as nobody is listening any more; a signal from the client (OpenSSH's
 * {@code signal} request) interrupts it too, and it exits with 128 plus the signal's number, as under a shell.
 *
 * <p>MINA calls {@link #start} and {@link #destroy} from its I/O threads; both return at once.
 */
final class DemoExec implements Command {
    private static final Logger logger = LoggerFactory.getLogger(DemoExec.class);

    private final String commandLine;
    private final DemoPrograms.Program program;
    private final ExecutorService executor;
    private final AtomicInteger running;
    private final AtomicBoolean reported = new AtomicBoolean();
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile Future<?> task;
    private volatile boolean stopped;

    /**
     * @param running counts programs executing right now, across the server
     */
    DemoExec(String commandLine, DemoPrograms.Program program, ExecutorService executor, AtomicInteger running) {
        this.commandLine = commandLine;
        this.program = program;
        this.executor = executor;
        this.running = running;
    }

    @Override
    public void setInputStream(InputStream in) {
        // The demo's commands read no input.
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        env.addSignalListener(
                (signalled, signal) -> {
                    // As a shell reports a process killed by a signal: 128 + its number.
                    stop();
                    report(128 + signal.getNumeric());
                },
                Signal.KILL,
                Signal.TERM,
                Signal.INT,
                Signal.HUP);
        try {
            task = executor.submit(this::run);
        } catch (RejectedExecutionException e) {
            logger.warn("Demo SSH server is busy; refused `{}`", commandLine);
            report(1);
            return;
        }
        if (stopped) {
            task.cancel(true); // the channel closed while the task was being submitted
        }
    }

    private void run() {
        if (stopped) {
            return;
        }
        running.incrementAndGet();
        // Not closed afterwards: closing would send EOF before the exit status, which MINA sends itself.
        PrintStream stdout = new PrintStream(out, false, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(err, false, StandardCharsets.UTF_8);
        int status;
        try {
            status = program.run(stdout, stderr);
        } catch (InterruptedException e) {
            return; // stopped: the channel is closed or closing
        } catch (IOException | RuntimeException e) {
            logger.debug("Demo command `{}` failed", commandLine, e);
            stderr.println(commandLine + ": " + e.getMessage());
            status = 3;
        } finally {
            running.decrementAndGet();
        }
        stdout.flush();
        stderr.flush();
        if (stdout.checkError() || stderr.checkError()) {
            return; // the channel went away while the program wrote to it
        }
        if (!stopped) {
            report(status);
        }
    }

    private void report(int status) {
        if (reported.compareAndSet(false, true)) {
            exit.onExit(status);
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        stop();
    }

    private void stop() {
        stopped = true;
        Future<?> started = task;
        if (started != null) {
            started.cancel(true);
        }
    }
}
