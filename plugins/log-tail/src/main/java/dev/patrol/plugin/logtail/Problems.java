package dev.patrol.plugin.logtail;

import dev.patrol.api.CheckResult;
import dev.patrol.api.Reason;
import dev.patrol.api.Sample;
import dev.patrol.api.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * What went wrong with some of a run's files, while the others were still read: the run's status is the worst one,
 * its reason that problem's, and every problem is listed in the output for the status page.
 *
 * <p>Not thread-safe; one per run.
 */
final class Problems {
    private record Problem(Status status, Reason reason, String message) {}

    private final List<Problem> found = new ArrayList<>();

    void add(Status status, Reason reason, String message) {
        if (found.stream().noneMatch(problem -> problem.message().equals(message))) {
            found.add(new Problem(status, reason, message));
        }
    }

    CheckResult result(String summary, List<Sample> samples, String files) {
        Problem worst = null;
        for (Problem problem : found) {
            if (worst == null || problem.status().code() > worst.status().code()) {
                worst = problem;
            }
        }
        StringBuilder output = new StringBuilder();
        found.forEach(problem -> output.append(problem.message()).append('\n'));
        output.append(files);
        if (worst == null) {
            return new CheckResult(Status.OK, Reason.NONE, summary, output.toString(), samples);
        }
        String text = worst.message() + (found.size() > 1 ? " (and " + (found.size() - 1) + " more)" : "");
        return new CheckResult(worst.status(), worst.reason(), text + "; " + summary, output.toString(), samples);
    }
}
