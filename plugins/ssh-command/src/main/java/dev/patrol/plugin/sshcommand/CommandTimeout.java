package dev.patrol.plugin.sshcommand;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * {@code command-timeout}: whether the command is wrapped in the target's own {@code timeout} (GNU coreutils), so
 * that the target ends it even when the agent cannot. The agent's deadline sends OpenSSH a {@code signal} request,
 * which OpenSSH refuses for root logins ("session signalling requires privilege separation"): without this, a
 * timed-out command of a root login keeps running on the target.
 *
 * <pre>{@code
 * CommandTimeout.of(Duration.ofSeconds(8)).wrap("check_disk -p /", remaining)
 * // timeout -k 2 8 sh -c 'check_disk -p /'
 * }</pre>
 *
 * @param mode off, a fixed duration, or auto (the time left until the run's deadline)
 * @param fixed the duration for {@link Mode#FIXED}, else null
 */
record CommandTimeout(Mode mode, Duration fixed) {

    /** GNU timeout's exit status when it had to stop the command. */
    static final int TIMED_OUT = 124;

    /** Seconds between timeout's TERM and its KILL, for commands that ignore TERM. */
    static final int KILL_AFTER_SECONDS = 2;

    static final CommandTimeout OFF = new CommandTimeout(Mode.OFF, null);
    static final CommandTimeout AUTO = new CommandTimeout(Mode.AUTO, null);

    enum Mode {
        OFF,
        AUTO,
        FIXED
    }

    static CommandTimeout of(Duration duration) {
        return new CommandTimeout(Mode.FIXED, duration);
    }

    boolean isOn() {
        return mode != Mode.OFF;
    }

    /**
     * The command line to send: {@code command} itself when off, else {@code timeout -k 2 SECONDS sh -c 'command'}.
     * The command is single-quoted for the login shell, so {@code sh} sees it exactly as written.
     *
     * @param remaining the time left until the run's deadline, for {@link Mode#AUTO}
     */
    String wrap(String command, Duration remaining) {
        if (mode == Mode.OFF) {
            return command;
        }
        Duration limit = mode == Mode.FIXED ? fixed : remaining;
        return "timeout -k " + KILL_AFTER_SECONDS + " " + seconds(limit) + " sh -c " + quote(command);
    }

    /** Seconds with at most millisecond precision, at least 1 (timeout reads 0 as "never"). */
    static String seconds(Duration limit) {
        BigDecimal seconds = BigDecimal.valueOf(Math.max(limit.toMillis(), 1000L))
                .divide(BigDecimal.valueOf(1000), 3, RoundingMode.UP)
                .stripTrailingZeros();
        return seconds.toPlainString();
    }

    /** POSIX shell single quotes: each {@code '} becomes {@code '\''}. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
