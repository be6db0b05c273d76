package dev.patrol.core.config;

import com.typesafe.config.ConfigOrigin;
import dev.patrol.api.InvalidSettingsException;
import dev.patrol.api.SettingsProblem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every problem found in one load, so that {@code check-config} shows all mistakes at once. Reports them sorted by
 * file and line, each once, and drops those that only follow from a block already reported as the wrong type.
 *
 * <p>Not thread-safe; one per load.
 */
final class Problems {
    private static final Comparator<SettingsProblem> BY_PLACE = Comparator.comparing(
                    (SettingsProblem problem) -> fileOf(problem.origin()))
            .thenComparingInt(
                    problem -> problem.origin() == null ? 0 : problem.origin().lineNumber())
            .thenComparing(SettingsProblem::path)
            .thenComparing(SettingsProblem::expected);

    private final List<SettingsProblem> problems = new ArrayList<>();
    private final List<String> brokenBlocks = new ArrayList<>();

    void add(ConfigOrigin origin, String path, String expected) {
        problems.add(new SettingsProblem(origin, path, expected));
    }

    /**
     * Adds problems read relative to the block at {@code prefix}. A problem without a usable place (a missing key,
     * whose origin is the merged block or reference.conf) is put at {@code where}, the block the user wrote.
     */
    void addUnder(String prefix, List<SettingsProblem> found, ConfigOrigin where) {
        for (SettingsProblem problem : found) {
            ConfigOrigin origin = Origins.isUserFile(problem.origin()) ? problem.origin() : where;
            problems.add(new SettingsProblem(origin, problem.path(), problem.expected()).under(prefix));
        }
    }

    /** Records a block that is not a block at all; later problems about keys inside it add nothing. */
    void blockIsBroken(String path) {
        brokenBlocks.add(path);
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    List<SettingsProblem> sorted() {
        Map<String, SettingsProblem> unique = new LinkedHashMap<>();
        for (SettingsProblem problem : problems) {
            if (!isInsideBrokenBlock(problem.path())) {
                unique.putIfAbsent(problem.format(), problem);
            }
        }
        return unique.values().stream().sorted(BY_PLACE).toList();
    }

    InvalidSettingsException exception() {
        return new InvalidSettingsException(sorted());
    }

    private boolean isInsideBrokenBlock(String path) {
        return brokenBlocks.stream().anyMatch(block -> path.startsWith(block + "."));
    }

    private static String fileOf(ConfigOrigin origin) {
        if (origin == null) {
            return "\uffff";
        }
        return Objects.requireNonNullElse(origin.filename(), origin.description());
    }
}
