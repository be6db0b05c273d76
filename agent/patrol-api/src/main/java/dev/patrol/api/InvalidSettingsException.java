package dev.patrol.api;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown by {@link CheckPlugin#parse} and settings readers with every problem found, not just the first. */
public final class InvalidSettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<SettingsProblem> problems;

    public InvalidSettingsException(List<SettingsProblem> problems) {
        super(problems.stream().map(SettingsProblem::format).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid-settings exception needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<SettingsProblem> problems() {
        return problems;
    }
}
