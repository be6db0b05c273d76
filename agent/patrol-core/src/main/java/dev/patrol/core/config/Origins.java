package dev.patrol.core.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a value was written, in the form a user can act on. Typesafe Config merges the origins of merged objects
 * into one description ("merge of a.conf: 3,b.conf: 7", or "a.conf: 3-7" within one file); these helpers take such
 * descriptions apart, which is also how a block defined twice is detected.
 */
final class Origins {
    private static final String MERGE_OF = "merge of ";
    private static final Pattern WHERE = Pattern.compile("(.*): (\\d+)(?:-(\\d+))?");
    private static final Pattern SIMPLE_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private Origins() {}

    /** One place a value was written: a file (or resource description) and a line. */
    record Place(String file, int line) {
        ConfigOrigin origin() {
            return ConfigOriginFactory.newFile(file).withLineNumber(line);
        }

        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    /**
     * Whether the origin points at one line of one user file, rather than at reference.conf or a merge. A classpath
     * resource is never the user's, even when the class path is a directory (as in tests) rather than a jar.
     */
    static boolean isUserFile(ConfigOrigin origin) {
        return origin != null
                && origin.filename() != null
                && origin.resource() == null
                && origin.lineNumber() > 0
                && !origin.description().startsWith(MERGE_OF);
    }

    /**
     * Every place a value was written, in merge order, or one place for a value written once. A same-file merge
     * reports its first and last line, which is all Typesafe Config keeps.
     */
    static List<Place> places(ConfigOrigin origin) {
        String description = origin.description();
        List<Place> places = new ArrayList<>();
        String[] parts = description.startsWith(MERGE_OF)
                ? description.substring(MERGE_OF.length()).split(",")
                : new String[] {description};
        for (String part : parts) {
            Matcher matcher = WHERE.matcher(part.strip());
            if (!matcher.matches()) {
                continue;
            }
            places.add(new Place(matcher.group(1), Integer.parseInt(matcher.group(2))));
            if (matcher.group(3) != null && !matcher.group(3).equals(matcher.group(2))) {
                places.add(new Place(matcher.group(1), Integer.parseInt(matcher.group(3))));
            }
        }
        return places;
    }

    /** The origin itself for a value written once, else the first place of a merged value. */
    static ConfigOrigin first(ConfigOrigin origin) {
        if (origin == null || !origin.description().startsWith(MERGE_OF)) {
            return origin;
        }
        List<Place> places = places(origin);
        return places.isEmpty() ? origin : places.get(0).origin();
    }

    static ConfigOrigin of(ConfigValue value) {
        return first(value.origin());
    }

    /** A key path with keys quoted where HOCON needs it: {@code patrol.checks."db.primary".type}. */
    static String join(String path, String key) {
        String quoted = SIMPLE_KEY.matcher(key).matches() ? key : '"' + key.replace("\"", "\\\"") + '"';
        return path.isEmpty() ? quoted : path + "." + quoted;
    }

    /** The first key of a path: {@code expect} for {@code expect.status}, {@code a.b} for {@code "a.b".c}. */
    static String firstKey(String path) {
        if (path.startsWith("\"")) {
            int end = path.indexOf('"', 1);
            return end < 0 ? path.substring(1) : path.substring(1, end);
        }
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }

    /** Typesafe Config puts "file: line: " in front of its messages; the problem's location says that already. */
    static String bareMessage(ConfigException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e.origin() != null && message.startsWith(e.origin().description() + ": ")) {
            message = message.substring(e.origin().description().length() + 2);
        }
        // Its advice on quoting and .properties files reads as noise next to the line number.
        int advice = message.indexOf(" (if you intended");
        message = advice < 0 ? message : message.substring(0, advice);
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }
}
