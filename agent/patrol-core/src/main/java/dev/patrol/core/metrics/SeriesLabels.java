package dev.patrol.core.metrics;

import dev.patrol.core.state.SeriesState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The label names and values of one (check, target) series: {@code check}, {@code target}, then the check's static and
 * exposed labels in name order. Extra labels that would clash are renamed {@code exported_<name>}, as Prometheus does
 * on ingestion, so a sample can never overwrite {@code check} or {@code target}.
 */
record SeriesLabels(List<String> names, List<String> values) {

    static SeriesLabels of(SeriesState series) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        names.add("check");
        values.add(series.key().check());
        names.add("target");
        values.add(series.key().target());
        SeriesLabels base = new SeriesLabels(names, values);
        return base.withAll(series.labels());
    }

    /** The labels of a series that stands for every target of a check: {@code check} only. */
    static SeriesLabels ofCheck(String check) {
        return new SeriesLabels(List.of("check"), List.of(check));
    }

    SeriesLabels with(String name, String value) {
        return withAll(Map.of(name, value));
    }

    SeriesLabels withAll(Map<String, String> extra) {
        if (extra.isEmpty()) {
            return this;
        }
        List<String> newNames = new ArrayList<>(names);
        List<String> newValues = new ArrayList<>(values);
        for (Map.Entry<String, String> label : new TreeMap<>(extra).entrySet()) {
            String name = label.getKey();
            while (newNames.contains(name)) {
                name = "exported_" + name;
            }
            newNames.add(name);
            newValues.add(label.getValue());
        }
        return new SeriesLabels(newNames, newValues);
    }
}
