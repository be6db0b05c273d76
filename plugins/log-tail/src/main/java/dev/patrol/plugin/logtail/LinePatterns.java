package dev.patrol.plugin.logtail;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A check's patterns, in the order written, each with the literal its matches must contain ({@link RequiredLiteral},
 * null when none is certain). Read once per configuration: a run makes a {@link LineSplitter} per file, and reading
 * every pattern's source again there would recompile it per file and run.
 */
record LinePatterns(List<Pattern> patterns, List<RequiredLiteral> literals) {

    static LinePatterns of(Collection<Pattern> patterns) {
        List<RequiredLiteral> literals = new ArrayList<>();
        patterns.forEach(pattern -> literals.add(RequiredLiteral.of(pattern)));
        return new LinePatterns(List.copyOf(patterns), Collections.unmodifiableList(literals));
    }
}
