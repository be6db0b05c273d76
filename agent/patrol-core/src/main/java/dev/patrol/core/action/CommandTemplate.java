package dev.patrol.core.action;

import dev.patrol.api.Status;
import dev.patrol.api.Target;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills an action's command or URL template. Every value is quoted for where it goes: single-quoted for a shell,
 * one whole argument for argv, URL-encoded for a URL. A value that no quoting makes safe (a control character such
 * as a newline, which would end a command line in an SSH exec request or a log line) refuses the whole action.
 *
 * <pre>{@code
 * String command = CommandTemplate.shell("systemctl restart {label.service}", values);  // ... 'nginx; rm -rf /'
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class CommandTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("(?<!\\$)\\{([A-Za-z0-9_.-]+)}");
    /** Characters a POSIX shell never treats specially, so values made only of them need no quotes. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:@%+=,-]+");

    private CommandTemplate() {}

    /** A value that cannot be quoted safely; the action is refused with reason {@code unsafe_argument}. */
    public static final class UnsafeArgument extends Exception {
        UnsafeArgument(String placeholder) {
            super("the value of {" + placeholder + "} holds a control character");
        }
    }

    /** The placeholder values for one run: target, host, check, status and every target label as label.NAME. */
    public static Map<String, String> values(String check, Target target, Status status) {
        Map<String, String> values = new HashMap<>();
        values.put("target", target.name());
        values.put("host", target.host());
        values.put("check", check);
        values.put("status", status.label());
        target.labels().forEach((name, value) -> values.put("label." + name, value));
        return values;
    }

    /** For {@code sh -c} or an SSH exec request: every value shell-quoted. */
    public static String shell(String template, Map<String, String> values) throws UnsafeArgument {
        return fill(template, values, CommandTemplate::shellQuote);
    }

    /** For argv-style execution: split on spaces first, so that a value is always one whole argument. */
    public static List<String> argv(String template, Map<String, String> values) throws UnsafeArgument {
        List<String> argv = new ArrayList<>();
        for (String word : template.trim().split("\\s+")) {
            argv.add(fill(word, values, value -> value));
        }
        return argv;
    }

    /** For a URL: every value percent-encoded (a space as %20, so it suits a path and a query alike). */
    public static String url(String template, Map<String, String> values) throws UnsafeArgument {
        return fill(template, values, value -> URLEncoder.encode(value, StandardCharsets.UTF_8)
                .replace("+", "%20"));
    }

    /** A shell word that stands for exactly {@code value}. */
    static String shellQuote(String value) {
        if (PLAIN.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private interface Quoting {
        String quote(String value);
    }

    private static String fill(String template, Map<String, String> values, Quoting quoting) throws UnsafeArgument {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = values.getOrDefault(name, "");
            if (value.chars().anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
                throw new UnsafeArgument(name);
            }
            out.append(template, at, matcher.start()).append(quoting.quote(value));
            at = matcher.end();
        }
        return out.append(template.substring(at)).toString();
    }
}
