package dev.patrol.core.plugin;

import java.util.List;

/**
 * The check plugins could not be loaded: a duplicate or malformed type, or a jar in {@code plugins.d/} whose plugin
 * class is missing or cannot be instantiated. Carries every problem, each naming the jar it came from.
 */
public final class PluginLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public PluginLoadException(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a plugin load failure needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** One sentence per problem, e.g. "plugin type 'http' in plugins.d/x.jar is already provided by ...". */
    public List<String> problems() {
        return problems;
    }
}
