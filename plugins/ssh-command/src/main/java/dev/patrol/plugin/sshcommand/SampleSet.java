package dev.patrol.plugin.sshcommand;

import dev.patrol.api.Sample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The samples of one run, capped at {@code max-samples} and free of duplicates: two series with the same name and
 * labels would make the agent's exposition invalid, so the first one wins. Not thread-safe; one per run.
 */
final class SampleSet {
    private final int max;
    private final List<Sample> samples = new ArrayList<>();
    private final Set<Object> seen = new HashSet<>();
    private int dropped;
    private int duplicates;

    SampleSet(int max) {
        this.max = max;
    }

    /** Adds {@code sample} unless it repeats an earlier series or the cap is reached. */
    void add(Sample sample) {
        if (!seen.add(List.of(sample.name(), sample.labels()))) {
            duplicates++;
        } else if (samples.size() >= max) {
            dropped++;
        } else {
            samples.add(sample);
        }
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The notes this set has for the summary, e.g. "12 samples over max-samples = 200 dropped". */
    void describe(Notes notes) {
        if (dropped > 0) {
            notes.summary(Notes.count(dropped, "sample", "samples") + " over max-samples = " + max + " dropped");
        }
        if (duplicates > 0) {
            notes.summary(Notes.count(duplicates, "duplicate sample", "duplicate samples") + " ignored");
        }
    }
}
