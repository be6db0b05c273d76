package dev.patrol.api;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one run: status, the reason when it failed, a one-line summary for people, optional longer output,
 * and the samples extracted. Build it with the factories:
 *
 * <pre>{@code
 * CheckResult.ok("HTTP 200 in 12 ms", samples);
 * CheckResult.critical(Reason.STATUS_MISMATCH, "HTTP 503, expected 2xx");
 * }</pre>
 *
 * <p>Every status but OK carries a reason other than {@link Reason#NONE}, so that a failure is never without its
 * {@code reason} label; the constructor refuses a WARNING, CRITICAL or UNKNOWN without one.
 *
 * @param summary one line for the status page and logs; may quote remote text, never a secret
 * @param output longer output (a Nagios plugin's long output, stderr), already capped in size; may be empty
 */
public record CheckResult(Status status, Reason reason, String summary, String output, List<Sample> samples) {

    public CheckResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        if (status != Status.OK && reason == Reason.NONE) {
            throw new IllegalArgumentException("a " + status + " result needs a reason other than NONE");
        }
        summary = summary == null ? "" : summary;
        output = output == null ? "" : output;
        samples = List.copyOf(samples);
    }

    public static CheckResult ok(String summary) {
        return new CheckResult(Status.OK, Reason.NONE, summary, "", List.of());
    }

    public static CheckResult ok(String summary, List<Sample> samples) {
        return new CheckResult(Status.OK, Reason.NONE, summary, "", samples);
    }

    public static CheckResult warning(Reason reason, String summary) {
        return new CheckResult(Status.WARNING, reason, summary, "", List.of());
    }

    public static CheckResult critical(Reason reason, String summary) {
        return new CheckResult(Status.CRITICAL, reason, summary, "", List.of());
    }

    public static CheckResult unknown(Reason reason, String summary) {
        return new CheckResult(Status.UNKNOWN, reason, summary, "", List.of());
    }

    public CheckResult withSamples(List<Sample> newSamples) {
        return new CheckResult(status, reason, summary, output, newSamples);
    }

    public CheckResult withOutput(String newOutput) {
        return new CheckResult(status, reason, summary, newOutput, samples);
    }
}
