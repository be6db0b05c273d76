package dev.patrol.plugin.sshcommand;

import dev.patrol.api.CommandResult;
import dev.patrol.api.Reason;
import java.util.List;
import java.util.Optional;

/**
 * Recognises the failures that reach the agent as a command's output although the command never ran: the account's
 * shell is {@code nologin}, or the remote shell could not find or execute the command. Judged as a Nagios plugin,
 * the first would read as WARNING (exit status 1, so {@code patrol_check_up 1}) and the others as a plain
 * {@code check_failed}; they are UNKNOWN with a reason of their own instead, since no check has been done at all.
 *
 * <p>Only exact signatures count, each an exit status together with the text its program prints, so that a real
 * plugin's exit status 1 is never taken for a refused login:
 *
 * <ul>
 *   <li>{@code login_refused}: exit status 1 and all output is {@code nologin}'s "This account is currently not
 *       available." (util-linux, shadow and the BSDs print the same line);
 *   <li>{@code command_not_found}: exit status 127 (POSIX: the shell found no such command) with the shell's
 *       "not found" or "No such file or directory" on stderr (bash, dash, busybox, zsh);
 *   <li>{@code command_not_executable}: exit status 126 (POSIX: found but not executable) with "Permission denied",
 *       "Is a directory" or "cannot execute" on stderr.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * ShellFailures.recognise(new CommandResult(127, "", "", "sh: 1: check_foo: not found\n", false))
 * // Optional[COMMAND_NOT_FOUND]
 * }</pre>
 */
final class ShellFailures {
    static final String NOLOGIN_MESSAGE = "This account is currently not available.";

    private static final List<String> NOT_FOUND = List.of("not found", "No such file or directory");
    private static final List<String> NOT_EXECUTABLE = List.of("Permission denied", "Is a directory", "cannot execute");

    private ShellFailures() {}

    static Optional<Reason> recognise(CommandResult command) {
        if (!command.exitSignal().isEmpty() || command.truncated()) {
            return Optional.empty();
        }
        return switch (command.exitStatus()) {
            case 1 -> nologin(command) ? Optional.of(Reason.LOGIN_REFUSED) : Optional.empty();
            case 126 -> mentions(command.stderr(), NOT_EXECUTABLE)
                    ? Optional.of(Reason.COMMAND_NOT_EXECUTABLE)
                    : Optional.empty();
            case 127 -> mentions(command.stderr(), NOT_FOUND)
                    ? Optional.of(Reason.COMMAND_NOT_FOUND)
                    : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** nologin prints its one line on stdout (util-linux) or stderr (others), and nothing else runs. */
    private static boolean nologin(CommandResult command) {
        String out = command.stdout().strip();
        String err = command.stderr().strip();
        return (out.equals(NOLOGIN_MESSAGE) && err.isEmpty()) || (err.equals(NOLOGIN_MESSAGE) && out.isEmpty());
    }

    private static boolean mentions(String stderr, List<String> phrases) {
        return phrases.stream().anyMatch(stderr::contains);
    }
}
