package dev.patrol.core.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds checks and targets defined more than once. HOCON silently merges two blocks of the same name, which would
 * turn a copy-paste slip into one check with mixed settings, in one file or across {@code conf.d} files. Setting a
 * single key of an existing block by path is an override, not a second definition (see {@link BlockScanner}).
 */
final class DuplicateFinder {

    private DuplicateFinder() {}

    /** @param files the files read as units (the main file and conf.d files), in merge order */
    static void find(List<Path> files, Problems problems) {
        Map<String, BlockScanner.Definition> first = new HashMap<>();
        for (Path file : files) {
            for (BlockScanner.Definition definition : BlockScanner.scan(file)) {
                String path = Origins.join("patrol." + definition.section(), definition.name());
                BlockScanner.Definition earlier = first.putIfAbsent(path, definition);
                if (earlier != null) {
                    String where = earlier.file().equals(definition.file())
                            ? "line " + earlier.line()
                            : earlier.file() + ":" + earlier.line();
                    problems.add(
                            new Origins.Place(definition.file(), definition.line()).origin(),
                            path,
                            "is defined twice, first at " + where + "; define each block once");
                }
            }
        }
    }
}
