package dev.patrol.core.ratelimit;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request rate such as {@code 10/s}, {@code 600/m} or {@code 1/h}: {@code permits} requests per {@code per}.
 *
 * @param permits requests allowed per period, at least 1
 * @param per the period: one second, minute or hour
 */
public record Rate(long permits, Duration per) {
    private static final Pattern TEXT = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*([smh])\\s*");

    /** What {@link #parse} accepts, for problem messages. */
    public static final String EXPECTED = "a rate such as 10/s, 600/m or 1/h (whole requests per s, m or h)";

    public Rate {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1");
        }
    }

    /** The rate in {@code text}, or empty when it is not one. */
    public static Optional<Rate> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher matcher = TEXT.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long permits = Long.parseLong(matcher.group(1));
        if (permits < 1) {
            return Optional.empty();
        }
        Duration per =
                switch (matcher.group(2)) {
                    case "s" -> Duration.ofSeconds(1);
                    case "m" -> Duration.ofMinutes(1);
                    default -> Duration.ofHours(1);
                };
        return Optional.of(new Rate(permits, per));
    }

    /** Nanoseconds between two tokens at this rate. */
    public double nanosPerToken() {
        return (double) per.toNanos() / permits;
    }

    @Override
    public String toString() {
        return permits + "/" + (per.toHours() == 1 ? "h" : per.toMinutes() == 1 ? "m" : "s");
    }
}
