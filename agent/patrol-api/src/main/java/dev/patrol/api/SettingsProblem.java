package dev.patrol.api;

import com.typesafe.config.ConfigOrigin;

/**
 * One thing wrong in a config file, reported as {@code FILE:LINE: key.path: expected}.
 *
 * @param origin where the offending value (or its enclosing block) was written; may be {@code null} when unknown
 * @param path the key path, relative to the block being read until the agent prefixes it
 * @param expected what was expected, as a phrase: "a duration such as 10s, got 'ten'"
 */
public record SettingsProblem(ConfigOrigin origin, String path, String expected) {

    /** The same problem with {@code prefix.} put before the path, as the agent does for check blocks. */
    public SettingsProblem under(String prefix) {
        return new SettingsProblem(origin, path.isEmpty() ? prefix : prefix + "." + path, expected);
    }

    /** {@code FILE:LINE: key.path: expected}; the file is the origin's file name or description. */
    public String format() {
        return location() + ": " + path + ": " + expected;
    }

    /** {@code FILE:LINE}, or the origin's description when it has no file. */
    public String location() {
        if (origin == null) {
            return "<unknown>";
        }
        String where = origin.filename() != null
                ? origin.filename()
                : origin.url() != null ? origin.url().toString() : origin.description();
        return origin.lineNumber() > 0 ? where + ":" + origin.lineNumber() : where;
    }

    @Override
    public String toString() {
        return format();
    }
}
