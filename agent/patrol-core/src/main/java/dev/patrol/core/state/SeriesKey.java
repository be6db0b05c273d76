package dev.patrol.core.state;

/** Identifies the series of one check against one target: the {@code check} and {@code target} labels. */
public record SeriesKey(String check, String target) implements Comparable<SeriesKey> {

    @Override
    public int compareTo(SeriesKey other) {
        int byCheck = check.compareTo(other.check);
        return byCheck != 0 ? byCheck : target.compareTo(other.target);
    }

    @Override
    public String toString() {
        return check + "/" + target;
    }
}
